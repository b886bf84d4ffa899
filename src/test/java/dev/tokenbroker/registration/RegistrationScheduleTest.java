package dev.tokenbroker.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistrationScheduleTest {

  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

  @Test
  void longLivedSecretsAreRenewedTheConfiguredTimeAhead() {
    Instant expires = T0.plus(Duration.ofDays(30));
    assertEquals(
        expires.minus(Duration.ofHours(1)),
        RegistrationSchedule.renewalTime(T0, expires, Duration.ofHours(1), Duration.ZERO));
  }

  @Test
  void shortLivedSecretsAreRenewedAtHalfTheirLifetime() {
    assertEquals(
        T0.plusSeconds(30),
        RegistrationSchedule.renewalTime(
            T0, T0.plusSeconds(60), Duration.ofHours(1), Duration.ZERO));
  }

  @Test
  void aHostAnnouncingExpiryEverySecondsCannotMakeTheBrokerRegisterMoreOftenThanTheFloor() {
    Duration floor = Duration.ofMinutes(5);
    assertEquals(
        T0.plus(floor),
        RegistrationSchedule.renewalTime(T0, T0.plusSeconds(2), Duration.ofHours(1), floor));
    assertEquals(
        T0.plus(floor),
        RegistrationSchedule.renewalTime(T0, T0.minusSeconds(5), Duration.ofHours(1), floor));
    Instant expires = T0.plus(Duration.ofDays(30));
    assertEquals(
        expires.minus(Duration.ofHours(1)),
        RegistrationSchedule.renewalTime(T0, expires, Duration.ofHours(1), floor));
  }

  @Test
  void anAlreadyExpiredSecretIsDueAtOnce() {
    assertEquals(
        T0,
        RegistrationSchedule.renewalTime(
            T0, T0.minusSeconds(5), Duration.ofHours(1), Duration.ZERO));
  }

  @Test
  void dueListsRefusalsFirstAndEachProviderOnce() {
    RegistrationSchedule schedule = new RegistrationSchedule(config(Duration.ofHours(1)));
    schedule.registered("a", T0, T0.plusSeconds(60));
    schedule.registered("b", T0, T0.plus(Duration.ofDays(1)));
    schedule.registered("c", T0, null);
    schedule.refused("a", T0.plusSeconds(20));
    assertTrue(schedule.due(T0.plusSeconds(10)).isEmpty(), "a refusal waits for its time");

    List<RegistrationSchedule.Due> due = schedule.due(T0.plusSeconds(31));
    assertEquals(1, due.size());
    assertEquals("a", due.get(0).providerId());
    assertTrue(due.get(0).refused());
    assertEquals("a", schedule.due(T0.plusSeconds(31)).get(0).providerId(), "still expiring");
    assertTrue(schedule.due(T0.plusSeconds(29)).isEmpty(), "refusal taken, expiry not yet due");

    schedule.registered("a", T0.plusSeconds(31), null);
    assertTrue(schedule.due(T0.plus(Duration.ofHours(2))).isEmpty());
    assertEquals("b", schedule.due(T0.plus(Duration.ofDays(1))).get(0).providerId());
  }

  @Test
  void reloadedRowsReplaceTimesAndDropProvidersNoLongerThere() {
    RegistrationSchedule schedule = new RegistrationSchedule(config(Duration.ofHours(1)));
    schedule.registered("gone", T0, T0.plusSeconds(60));
    schedule.replaceAll(List.<Object[]>of(new Object[] {"kept", T0, T0.plusSeconds(60)}));
    List<RegistrationSchedule.Due> due = schedule.due(T0.plusSeconds(60));
    assertEquals(1, due.size());
    assertEquals("kept", due.get(0).providerId());
  }

  private static RegistrationConfig config(Duration renewBefore) {
    return new RegistrationConfig() {
      @Override
      public String clientName() {
        return "token-broker";
      }

      @Override
      public java.util.Optional<String> clientUri() {
        return java.util.Optional.empty();
      }

      @Override
      public java.util.Optional<String> logoUri() {
        return java.util.Optional.empty();
      }

      @Override
      public java.util.Optional<String> tosUri() {
        return java.util.Optional.empty();
      }

      @Override
      public java.util.Optional<String> policyUri() {
        return java.util.Optional.empty();
      }

      @Override
      public String softwareId() {
        return "id";
      }

      @Override
      public String softwareVersion() {
        return "1";
      }

      @Override
      public Duration renewBefore() {
        return renewBefore;
      }

      @Override
      public Duration minRenewalInterval() {
        return Duration.ZERO;
      }

      @Override
      public Duration minAgeForRejectionRenewal() {
        return Duration.ZERO;
      }

      @Override
      public Duration reloadEvery() {
        return Duration.ofMinutes(1);
      }
    };
  }
}
