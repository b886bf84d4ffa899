package dev.tokenbroker.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScopesTest {

  @Test
  void patternCoversExactScope() {
    assertTrue(Scopes.patternCovers("r:backpack", "r:backpack"));
    assertFalse(Scopes.patternCovers("r:backpack", "rw:backpack"));
  }

  @Test
  void brightspaceWildcardsCoverSegments() {
    assertTrue(Scopes.patternCovers("users:userdata:*", "users:userdata:read"));
    assertTrue(Scopes.patternCovers("core:*:*", "core:grades:read"));
    assertFalse(Scopes.patternCovers("core:*:*", "users:userdata:read"));
    assertFalse(Scopes.patternCovers("users:userdata:*", "users:profile:read"));
    assertFalse(Scopes.patternCovers("users:*", "users:userdata:read"));
  }

  @Test
  void brightspaceCoreFallbackCoversOnlyItself() {
    List<String> requested = List.of("users:userdata:read", "grades:gradevalues:read");
    assertEquals(requested, Scopes.uncovered(Preset.BRIGHTSPACE, requested, List.of("core:*:*")));
    assertEquals(
        List.of(), Scopes.uncovered(Preset.BRIGHTSPACE, List.of("core:*:*"), List.of("core:*:*")));
  }

  @Test
  void brightspaceSpecificScopesAreCoveredByThemselvesAndTheirOwnResourceWildcard() {
    List<String> requested = List.of("users:userdata:read", "grades:gradevalues:read");
    assertEquals(
        List.of("grades:gradevalues:read"),
        Scopes.uncovered(Preset.BRIGHTSPACE, requested, List.of("users:userdata:*")));
    assertEquals(
        requested,
        Scopes.uncovered(Preset.BRIGHTSPACE, requested, List.of("users:*:*", "grades:*:read")));
    assertEquals(
        List.of(),
        Scopes.uncovered(
            Preset.BRIGHTSPACE, requested, List.of("users:userdata:read", "grades:gradevalues:*")));
  }

  @Test
  void prefixWildcardCoversWithinSegment() {
    assertTrue(Scopes.patternCovers("r:*", "r:backpack"));
    assertFalse(Scopes.patternCovers("r:*", "rw:backpack"));
    assertTrue(Scopes.patternCovers("*", "openid"));
    assertTrue(Scopes.patternCovers("*", "a:b:c"));
    assertFalse(Scopes.patternCovers("r*", "r:b"));
  }

  @Test
  void globMatchesRuns() {
    assertTrue(Scopes.globMatches("*", "anything:at all"));
    assertTrue(Scopes.globMatches("user-*", "user-42"));
    assertTrue(Scopes.globMatches("a*b*c", "aXXbYYc"));
    assertFalse(Scopes.globMatches("a*b*c", "aXXbYY"));
    assertFalse(Scopes.globMatches("user-*", "admin-1"));
  }

  @Test
  void uncoveredListsWhatIsMissing() {
    assertEquals(
        List.of("rw:issuer"),
        Scopes.uncovered(List.of("r:profile", "rw:issuer"), List.of("r:*", "rw:backpack")));
  }

  @Test
  void parseSplitsOnWhitespaceAndDropsDuplicates() {
    assertEquals(List.of("a", "b"), Scopes.parse(" a  b a "));
    assertEquals(List.of(), Scopes.parse(null));
    assertEquals(List.of("a", "b", "c"), Scopes.parse("a\tb\nc\u000Bb\fa\rc"));
  }

  @Test
  void parseKeepsASingleScopeWhole() {
    assertEquals(List.of("r:profile"), Scopes.parse("  r:profile\n"));
    assertEquals(List.of("x\u2003y"), Scopes.parse("x\u2003y"));
    assertEquals(List.of(), Scopes.parse(" \t "));
  }

  @Test
  void uncoveredKeepsTheRequestedOrderAndNothingWhenAllAreCovered() {
    assertEquals(List.of(), Scopes.uncovered(List.of("r:profile"), List.of("*")));
    assertEquals(List.of("b", "a"), Scopes.uncovered(List.of("b", "c", "a"), List.of("c")));
    assertEquals(List.of(), Scopes.uncovered(List.of(), List.of()));
  }

  @Test
  void scopeTokensFollowRfc6749() {
    assertTrue(Scopes.isValidToken("r:profile"));
    assertFalse(Scopes.isValidToken("has space"));
    assertFalse(Scopes.isValidToken("quote\""));
    assertFalse(Scopes.isValidToken("back\\slash"));
    assertFalse(Scopes.isValidToken(""));
  }
}
