package dev.tokenbroker.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.junit.jupiter.api.Test;

class SecretRedactionTest {

  private static final String API_KEY =
      "tbk_abcdefghij234567_Qx9v0Zr8aK3mN2pL7wY5tB1cD4eF6gH8iJ0kM2nP4qR";
  private static final String JWT =
      "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIn0.c2lnbmF0dXJlLXZhbHVlLXh5eg";

  @Test
  void masksCredentialsInTheirUsualShapes() {
    assertEquals(
        "Authorization: Bearer [REDACTED]",
        SecretRedaction.redact("Authorization: Bearer at-8f7e6d5c4b3a2910"));
    assertEquals(
        "Authorization: Basic [REDACTED]",
        SecretRedaction.redact("Authorization: Basic c2ltLWNsaWVudDpzZWNyZXQ="));
    assertEquals(
        "key tbk_abcdefghij234567_[REDACTED] refused",
        SecretRedaction.redact("key " + API_KEY + " refused"));
    assertEquals("id token [REDACTED]", SecretRedaction.redact("id token " + JWT));
    assertEquals(
        "grant_type=refresh_token&refresh_token=[REDACTED]&client_secret=[REDACTED]&scope=r:x",
        SecretRedaction.redact(
            "grant_type=refresh_token&refresh_token=rt-abc123&client_secret=s3cr3t&scope=r:x"));
    assertEquals(
        "GET /cb?code=[REDACTED]&state=[REDACTED]",
        SecretRedaction.redact("GET /cb?code=code-xyz&state=st-123"));
    assertEquals(
        "{\"access_token\":\"[REDACTED]\",\"expires_in\":3600}",
        SecretRedaction.redact("{\"access_token\": \"at-1\\\"2\",\"expires_in\":3600}"));
  }

  @Test
  void leavesOrdinaryLinesAlone() {
    String line = "Refreshed grant grt_abc of provider badgr-us; access token expires 2026-11-23";
    assertSame(line, SecretRedaction.redact(line));
    String scopes = "scope r:profile rw:backpack, token_type Bearer";
    assertSame(scopes, SecretRedaction.redact(scopes));
  }

  @Test
  void theFilterRewritesMessageAndExceptionBeforeFormatting() {
    ExtLogRecord record =
        new ExtLogRecord(Level.WARNING, "Upstream said %s", ExtLogRecord.FormatStyle.PRINTF, "x");
    record.setParameters(new Object[] {"refresh_token=rt-live-value"});
    record.setThrown(
        new IllegalStateException(
            "wrapped", new IllegalArgumentException("bad client_secret=abc123")));

    assertTrue(new SecretRedactionFilter().isLoggable(record));

    String line = new PatternFormatter("%s%e").format(record);
    assertFalse(line.contains("rt-live-value"), line);
    assertFalse(line.contains("abc123"), line);
    assertTrue(line.contains("refresh_token=[REDACTED]"), line);
    assertTrue(line.contains("java.lang.IllegalArgumentException: bad client_secret=[REDACTED]"));
    assertTrue(line.contains("at dev.tokenbroker.ops.SecretRedactionTest"), "stack kept: " + line);
  }
}
