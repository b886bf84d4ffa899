package dev.tokenbroker.provider;

/**
 * Fired inside the transaction that deletes a provider, before its row goes: the owner of the
 * provider's grants refuses (throws) when some exist without {@code cascade}, or deletes them and
 * reports how many.
 */
public final class ProviderDeleting {

  private final String providerId;
  private final boolean cascade;
  private int grantsDeleted;

  public ProviderDeleting(String providerId, boolean cascade) {
    this.providerId = providerId;
    this.cascade = cascade;
  }

  public String providerId() {
    return providerId;
  }

  public boolean cascade() {
    return cascade;
  }

  public void grantsDeleted(int count) {
    grantsDeleted = count;
  }

  public int grantsDeleted() {
    return grantsDeleted;
  }
}
