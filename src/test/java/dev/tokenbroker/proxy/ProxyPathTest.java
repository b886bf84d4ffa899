package dev.tokenbroker.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tokenbroker.api.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyPathTest {

  @ParameterizedTest
  @CsvSource({
    "/, /",
    "/v2/backpack/assertions, /v2/backpack/assertions",
    "/v2/backpack/, /v2/backpack/",
    "/v2/%61ssertions, /v2/assertions",
    "/v2/a%7e%2Db, /v2/a~-b",
    "/v2/caf%c3%a9, /v2/caf%C3%A9",
    "/v2/a%20b, /v2/a%20b",
    "/v2/..a/b.., /v2/..a/b..",
    "/v2/user:1@x, /v2/user:1@x"
  })
  void normalisesUnreservedEscapesAndKeepsTheRest(String raw, String normalised) {
    assertEquals(normalised, ProxyPath.normalise(raw));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "v2/a",
        "/..",
        "/v2/../admin",
        "/v2/./a",
        "/v2/%2e%2e/admin",
        "/v2/%2E/a",
        "/v2/.%2e/admin",
        "/v2%2fadmin",
        "/v2%2F..",
        "/v2/%5cadmin",
        "/v2\\\\admin",
        "//evil.example/x",
        "/v2//a",
        "/v2/%00",
        "/v2/%zz",
        "/v2/%4",
        "/v2/a?b",
        "/v2/a#b",
        "/v2/a b",
        "/v2/é"
      })
  void refusesWhatCouldLeaveTheApiBase(String raw) {
    ApiException refused = assertThrows(ApiException.class, () -> ProxyPath.normalise(raw));
    assertEquals(400, refused.status());
    assertEquals("invalid_request", refused.code());
  }
}
