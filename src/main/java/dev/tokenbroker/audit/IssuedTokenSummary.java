package dev.tokenbroker.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tokens served and calls relayed by the proxy, counted instead of written one event each ({@code
 * broker.audit.issued-tokens=summary}): per action, caller, provider, grant and subject, drained
 * into one event per key at every flush. Nothing is lost between a count and its drain.
 */
final class IssuedTokenSummary {

  /** Whose tokens were counted. */
  record Key(String action, String actor, String providerId, String grantId, String subject) {}

  /** Marks a counter that was drained; an increment that sees it starts a new one. */
  private static final long DRAINED = Long.MIN_VALUE / 2;

  private final Map<Key, AtomicLong> counts = new ConcurrentHashMap<>();

  void count(Key key) {
    while (true) {
      AtomicLong counter = counts.computeIfAbsent(key, k -> new AtomicLong());
      if (counter.incrementAndGet() > 0) {
        return;
      }
      // drained meanwhile: that one is gone (or about to be); count on a fresh one
      counts.remove(key, counter);
    }
  }

  /** One event per key counted since the last drain. */
  List<AuditEvent> drain(Instant since, Instant now) {
    List<AuditEvent> events = new ArrayList<>();
    for (Key key : List.copyOf(counts.keySet())) {
      AtomicLong counter = counts.get(key);
      if (counter == null) {
        continue;
      }
      long issued = counter.getAndSet(DRAINED);
      counts.remove(key, counter);
      if (issued > 0) {
        AuditEvent event =
            AuditEvent.success(key.action())
                .provider(key.providerId())
                .grant(key.grantId())
                .subject(key.subject())
                .detail(
                    issued
                        + (AuditActions.TOKEN_ISSUED.equals(key.action())
                            ? " token(s) served since "
                            : " call(s) relayed since ")
                        + since);
        event.actor = key.actor();
        event.occurredAt = now;
        events.add(event);
      }
    }
    return events;
  }
}
