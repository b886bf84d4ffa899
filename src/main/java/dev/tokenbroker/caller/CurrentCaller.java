package dev.tokenbroker.caller;

import jakarta.enterprise.context.RequestScoped;

/** The authenticated caller of the current request. */
@RequestScoped
public class CurrentCaller {

  private AuthenticatedCaller caller;

  void set(AuthenticatedCaller caller) {
    this.caller = caller;
  }

  public AuthenticatedCaller get() {
    if (caller == null) {
      throw new IllegalStateException("No authenticated caller on this request");
    }
    return caller;
  }
}
