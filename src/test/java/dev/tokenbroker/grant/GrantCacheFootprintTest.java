package dev.tokenbroker.grant;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrantCacheFootprintTest {

  private static GrantSnapshot grant(int tokenLength, int scopes) {
    List<String> scopeList =
        java.util.stream.IntStream.range(0, scopes).mapToObj(i -> "r:scope-" + i).toList();
    Instant now = Instant.parse("2026-12-04T00:00:00Z");
    return new GrantSnapshot(
        "grt_0123456789abcdef",
        "brightspace",
        "learner-000042",
        scopeList,
        GrantStatus.ACTIVE,
        "a".repeat(tokenLength),
        now,
        now.plusSeconds(1800),
        null);
  }

  @Test
  void theEstimateCoversTheAccessTokenAndGrowsWithScopes() {
    String key = "brightspace\nlearner-000042";
    int small = GrantCache.footprint(key, grant(40, 1));
    int jwt = GrantCache.footprint(key, grant(2_000, 1));
    assertTrue(jwt - small == 1_960, "one byte per token character: " + (jwt - small));
    assertTrue(small > 300 && small < 700, "a grant with a short token: " + small);
    assertTrue(GrantCache.footprint(key, grant(40, 10)) > small + 9 * 40, "scopes count");
  }
}
