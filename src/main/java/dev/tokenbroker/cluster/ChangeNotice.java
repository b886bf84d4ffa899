package dev.tokenbroker.cluster;

import java.util.List;

/**
 * A change that every replica must apply to its caches at once (DESIGN §5): announced by the
 * replica that made it, delivered to all (itself included) after the change committed.
 */
public record ChangeNotice(Kind kind, List<String> keys) {

  /** What changed; {@link #keys} says which one. */
  public enum Kind {
    /** A grant was deleted, replaced or changed status: keys = provider id, subject. */
    GRANT,
    /** An API key was deleted: keys = key id. */
    API_KEY,
    /** A caller was deleted or its allow rules changed: keys = caller id. */
    CALLER,
    /** A provider was replaced or deleted (with its grants): keys = provider id. */
    PROVIDER,
    /** Notices may have been missed (the listener reconnected): re-read everything cached. */
    RESYNC
  }

  public static ChangeNotice grant(String providerId, String subject) {
    return new ChangeNotice(Kind.GRANT, List.of(providerId, subject));
  }

  public static ChangeNotice apiKey(String keyId) {
    return new ChangeNotice(Kind.API_KEY, List.of(keyId));
  }

  public static ChangeNotice caller(String callerId) {
    return new ChangeNotice(Kind.CALLER, List.of(callerId));
  }

  public static ChangeNotice provider(String providerId) {
    return new ChangeNotice(Kind.PROVIDER, List.of(providerId));
  }

  public static ChangeNotice resync() {
    return new ChangeNotice(Kind.RESYNC, List.of());
  }

  public String key(int index) {
    return keys.get(index);
  }
}
