package dev.tokenbroker.caller;

import dev.tokenbroker.provider.Scopes;

/**
 * Matches an allow rule's path glob against a normalised request path, segment by segment: {@code
 * *} within a segment, a whole {@code **} segment across any number of segments (none included).
 */
public final class PathGlob {

  private PathGlob() {}

  public static boolean matches(String glob, String path) {
    return matches(glob.split("/", -1), 0, path.split("/", -1), 0);
  }

  private static boolean matches(String[] glob, int g, String[] path, int p) {
    if (g == glob.length) {
      return p == path.length;
    }
    if ("**".equals(glob[g])) {
      for (int skip = p; skip <= path.length; skip++) {
        if (matches(glob, g + 1, path, skip)) {
          return true;
        }
      }
      return false;
    }
    return p < path.length
        && Scopes.globMatches(glob[g], path[p])
        && matches(glob, g + 1, path, p + 1);
  }
}
