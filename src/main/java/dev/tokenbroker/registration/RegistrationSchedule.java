package dev.tokenbroker.registration;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each registered provider of this replica should be registered again: before its secret
 * expires, and at once after the host refused its credentials. Memory only, so that checking costs
 * nothing; re-read from the database now and then, as another replica may have registered.
 */
@ApplicationScoped
class RegistrationSchedule {

  /** A provider to register again now, and why. */
  record Due(String providerId, String reason, boolean refused) {}

  private final Map<String, Instant> renewAt = new ConcurrentHashMap<>();

  /** Providers whose host refused the broker's credentials, and when to register them again. */
  private final Map<String, Instant> refused = new ConcurrentHashMap<>();

  private final Duration renewBefore;
  private final Duration minInterval;

  RegistrationSchedule(RegistrationConfig config) {
    this.renewBefore = config.renewBefore();
    this.minInterval = config.minRenewalInterval();
  }

  /**
   * When to renew a secret: {@code renewBefore} ahead of its expiry, but no earlier than half its
   * lifetime, so that short-lived secrets are not renewed continually, and never sooner than {@code
   * minInterval} after the registration, whatever the host says.
   */
  static Instant renewalTime(
      Instant registeredAt, Instant expiresAt, Duration renewBefore, Duration minInterval) {
    Duration half = Duration.between(registeredAt, expiresAt).dividedBy(2);
    Duration lead = half.compareTo(renewBefore) < 0 ? half : renewBefore;
    Instant beforeExpiry = expiresAt.minus(lead.isNegative() ? Duration.ZERO : lead);
    Instant earliest = registeredAt.plus(minInterval);
    return beforeExpiry.isBefore(earliest) ? earliest : beforeExpiry;
  }

  void registered(String providerId, Instant registeredAt, Instant expiresAt) {
    refused.remove(providerId);
    if (expiresAt == null) {
      renewAt.remove(providerId);
    } else {
      renewAt.put(providerId, renewalTime(registeredAt, expiresAt, renewBefore, minInterval));
    }
  }

  /** Replaces the expiry-based times with those of the database rows (id, registered, expires). */
  void replaceAll(List<Object[]> rows) {
    Map<String, Instant> fresh = new HashMap<>();
    for (Object[] row : rows) {
      fresh.put(
          (String) row[0],
          renewalTime((Instant) row[1], (Instant) row[2], renewBefore, minInterval));
    }
    renewAt.keySet().retainAll(fresh.keySet());
    renewAt.putAll(fresh);
  }

  /**
   * The host refused the broker's credentials: register again at {@code notBefore}, unless a
   * registration (the request that met the refusal registers at once) comes first.
   */
  void refused(String providerId, Instant notBefore) {
    refused.put(providerId, notBefore);
  }

  void postpone(String providerId, Instant until) {
    renewAt.put(providerId, until);
  }

  void forget(String providerId) {
    renewAt.remove(providerId);
    refused.remove(providerId);
  }

  /** What is due at {@code now}; a refused provider is taken off the refused list. */
  List<Due> due(Instant now) {
    List<Due> due = new ArrayList<>();
    for (Map.Entry<String, Instant> entry : List.copyOf(refused.entrySet())) {
      if (!entry.getValue().isAfter(now) && refused.remove(entry.getKey(), entry.getValue())) {
        due.add(new Due(entry.getKey(), "the host refused the broker's credentials", true));
      }
    }
    renewAt.forEach(
        (id, at) -> {
          if (!at.isAfter(now) && due.stream().noneMatch(d -> d.providerId().equals(id))) {
            due.add(new Due(id, "the client secret expires soon", false));
          }
        });
    return due;
  }
}
