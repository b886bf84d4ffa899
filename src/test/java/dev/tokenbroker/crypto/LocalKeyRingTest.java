package dev.tokenbroker.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class LocalKeyRingTest {

  private static final String K = LocalAesGcmCipherTest.randomKey();

  @Test
  void parseWhenNoActiveVersionThenHighestIsActive() {
    assertEquals(
        3,
        LocalKeyRing.parse(List.of("1:" + K, "3:" + K, "# comment", ""), OptionalInt.empty())
            .activeVersion());
  }

  @Test
  void parseRejectsBadEntries() {
    assertThrows(IllegalArgumentException.class, () -> parse("nokey"));
    assertThrows(IllegalArgumentException.class, () -> parse("0:" + K));
    assertThrows(IllegalArgumentException.class, () -> parse("x:" + K));
    assertThrows(IllegalArgumentException.class, () -> parse("1:c2hvcnQ="));
    assertThrows(IllegalArgumentException.class, () -> parse("1:not base64!"));
    assertThrows(IllegalArgumentException.class, () -> parse("1:" + K, "1:" + K));
    assertThrows(IllegalArgumentException.class, () -> parse());
    assertThrows(
        IllegalArgumentException.class,
        () -> LocalKeyRing.parse(List.of("1:" + K), OptionalInt.of(2)));
  }

  private static LocalKeyRing parse(String... entries) {
    return LocalKeyRing.parse(List.of(entries), OptionalInt.empty());
  }
}
