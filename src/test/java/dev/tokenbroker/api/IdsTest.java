package dev.tokenbroker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {

  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

  @Test
  void idsAreTheirPrefixAndTwentyBase32CharactersWithEverySymbolAtEveryPosition() {
    Set<String> ids = new HashSet<>();
    @SuppressWarnings("unchecked")
    Set<Character>[] seen = new Set[20];
    for (int i = 0; i < seen.length; i++) {
      seen[i] = new HashSet<>();
    }
    for (int n = 0; n < 20_000; n++) {
      String id = Ids.newId("evt");
      assertTrue(id.matches("evt_[a-z2-7]{20}"), id);
      ids.add(id);
      for (int i = 0; i < 20; i++) {
        seen[i].add(id.charAt(4 + i));
      }
    }
    assertEquals(20_000, ids.size(), "an id came twice");
    for (int i = 0; i < seen.length; i++) {
      assertEquals(ALPHABET.length(), seen[i].size(), "position " + i + " misses symbols");
    }
  }

  @Test
  void timePrefixedIdsShareTheirTimeCharactersWithinASecondAndDifferInTheRest() {
    long second = 1_796_000_000_000L;
    long[] millis = new long[2_000];
    for (int i = 0; i < millis.length; i++) {
      millis[i] = second + i % 1000;
    }
    var ids = Ids.newTimePrefixedIds("evt", millis);
    assertEquals(2_000, new HashSet<>(ids).size(), "the random part keeps them apart");
    ids.forEach(id -> assertTrue(id.matches("evt_[a-z2-7]{20}"), id));
    assertEquals(1, ids.stream().map(id -> id.substring(0, 11)).distinct().count(), ids.get(0));
    assertEquals(
        ids.get(0).substring(0, 14), ids.get(1000).substring(0, 14), "same millisecond, same time");
    assertTrue(!ids.get(0).substring(0, 14).equals(ids.get(1).substring(0, 14)));
  }
}
