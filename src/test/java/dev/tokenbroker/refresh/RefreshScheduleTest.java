package dev.tokenbroker.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.provider.ClientAuthMethod;
import dev.tokenbroker.provider.Downscope;
import dev.tokenbroker.provider.GrantType;
import dev.tokenbroker.provider.PkceMethod;
import dev.tokenbroker.provider.Preset;
import dev.tokenbroker.provider.ProviderDefinition;
import dev.tokenbroker.provider.ProviderSettings;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RefreshScheduleTest {

  private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void nextRefreshWithoutJitterIsAtTheRatio() {
    Instant next =
        RefreshSchedule.nextRefreshAt(ISSUED, ISSUED.plusSeconds(1000), 0.75, 0.0, new Random(1));
    assertEquals(ISSUED.plusSeconds(750), next);
  }

  @Test
  void jitterOnlyMovesTheRefreshEarlierAndWithinBounds() {
    Random random = new Random(42);
    for (int i = 0; i < 1000; i++) {
      Instant next =
          RefreshSchedule.nextRefreshAt(ISSUED, ISSUED.plusSeconds(1000), 0.75, 0.05, random);
      assertTrue(!next.isAfter(ISSUED.plusSeconds(750)), next.toString());
      assertTrue(!next.isBefore(ISSUED.plusSeconds(700)), next.toString());
    }
  }

  @Test
  void expiredOrUnknownLifetimeIsDueAtOnce() {
    assertEquals(ISSUED, RefreshSchedule.nextRefreshAt(ISSUED, null, 0.75, 0.05, new Random()));
    assertEquals(ISSUED, RefreshSchedule.nextRefreshAt(ISSUED, ISSUED, 0.75, 0.05, new Random()));
  }

  @Test
  void keepAliveBringsALongLivedTokenForward() {
    Instant next =
        RefreshSchedule.nextRefreshAt(
            provider(GrantType.AUTHORIZATION_CODE, 3600),
            ISSUED,
            ISSUED.plusSeconds(86_400),
            true,
            0.0,
            new Random(1));
    assertEquals(ISSUED.plusSeconds(3600), next);
  }

  @Test
  void keepAliveLongerThanTheRatioChangesNothing() {
    Instant next =
        RefreshSchedule.nextRefreshAt(
            provider(GrantType.AUTHORIZATION_CODE, 7200),
            ISSUED,
            ISSUED.plusSeconds(1000),
            true,
            0.0,
            new Random(1));
    assertEquals(ISSUED.plusSeconds(750), next);
  }

  @Test
  void aGrantWithoutRefreshTokenIsDueWhenItsAccessTokenExpires() {
    Instant next =
        RefreshSchedule.nextRefreshAt(
            provider(GrantType.AUTHORIZATION_CODE, null),
            ISSUED,
            ISSUED.plusSeconds(1800),
            false,
            0.05,
            new Random(1));
    assertEquals(ISSUED.plusSeconds(1800), next);
  }

  @Test
  void clientCredentialsNeedNoRefreshTokenToBeRefreshedAhead() {
    Instant next =
        RefreshSchedule.nextRefreshAt(
            provider(GrantType.CLIENT_CREDENTIALS, null),
            ISSUED,
            ISSUED.plusSeconds(1000),
            false,
            0.0,
            new Random(1));
    assertEquals(ISSUED.plusSeconds(750), next);
  }

  private static ProviderSettings provider(GrantType grantType, Integer keepAliveSeconds) {
    ProviderDefinition definition =
        new ProviderDefinition(
            "p",
            Preset.GENERIC,
            null,
            null,
            null,
            grantType,
            null,
            "https://idp.example/token",
            null,
            "client",
            ClientAuthMethod.CLIENT_SECRET_BASIC,
            List.of(),
            List.of(),
            null,
            PkceMethod.S256,
            0,
            0.75,
            keepAliveSeconds,
            0,
            8,
            Downscope.NONE,
            null,
            null);
    return new ProviderSettings(definition, 0, "secret");
  }
}
