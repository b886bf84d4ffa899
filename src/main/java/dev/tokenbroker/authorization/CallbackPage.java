package dev.tokenbroker.authorization;

/** The small page shown when an authorization had no return URL. */
final class CallbackPage {

  private CallbackPage() {}

  static String render(CallbackOutcome outcome) {
    String message =
        switch (outcome.status()) {
          case "connected" -> "Your account is connected. You can close this window.";
          case "denied" -> "The authorization was declined. You can close this window.";
          default ->
              "The authorization failed (" + escape(outcome.error()) + "). Please try again.";
        };
    return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<title>token-broker</title></head><body style=\"font-family:sans-serif\">"
        + "<p data-status=\""
        + escape(outcome.status())
        + "\">"
        + message
        + "</p></body></html>";
  }

  private static String escape(String text) {
    if (text == null) {
      return "";
    }
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
