package dev.tokenbroker.upstream;

import dev.tokenbroker.provider.ProviderSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What a token endpoint's rate limit counts: one client at one authorization server. Open Badge
 * Factory limits new tokens "to one token per ten seconds" per client credentials, so two providers
 * with the same {@code client_id} at the same token endpoint host share one pace.
 */
public final class PacingKey {

  private PacingKey() {}

  /** A fixed-length key for (token endpoint host and port, client_id). */
  /** The key under which a provider's API (the proxy's upstream) is held after a 429. */
  public static String ofApi(String providerId) {
    return sha256("api\n" + providerId);
  }

  static String of(ProviderSettings provider) {
    URI uri = URI.create(provider.definition().tokenUrl());
    String authority =
        uri.getHost().toLowerCase(Locale.ROOT) + ":" + (uri.getPort() < 0 ? 443 : uri.getPort());
    return sha256(authority + "\n" + provider.definition().clientId());
  }

  private static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
