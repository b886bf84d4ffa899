package dev.tokenbroker.caller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathGlobTest {

  @ParameterizedTest
  @CsvSource({
    "/v2/backpack/assertions, /v2/backpack/assertions, true",
    "/v2/backpack/assertions, /v2/backpack/assertions/a-1, false",
    "/v2/backpack/assertions, /v2/backpack, false",
    "/v2/backpack/assertions/*, /v2/backpack/assertions/a-1, true",
    "/v2/backpack/assertions/*, /v2/backpack/assertions/a-1/revoke, false",
    "/v2/backpack/assertions/*, /v2/backpack/assertions/, true",
    "/v2/*/assertions, /v2/backpack/assertions, true",
    "/v2/*/assertions, /v2/a/b/assertions, false",
    "/v2/backpack/**, /v2/backpack, true",
    "/v2/backpack/**, /v2/backpack/assertions/a-1/revoke, true",
    "/v2/backpack/**, /v2/issuers, false",
    "/**/revoke, /v2/x/revoke, true",
    "/v2/assert*, /v2/assertions, true",
    "/v2/assert*, /v2/assert/ions, false"
  })
  void matchesSegmentBySegment(String glob, String path, boolean matches) {
    assertEquals(matches, PathGlob.matches(glob, path), glob + " vs " + path);
  }
}
