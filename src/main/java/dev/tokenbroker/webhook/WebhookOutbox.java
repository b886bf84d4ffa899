package dev.tokenbroker.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbroker.api.Ids;
import dev.tokenbroker.db.Database;
import dev.tokenbroker.grant.GrantStatus;
import dev.tokenbroker.grant.GrantStatusChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns grant status changes into webhook deliveries, written in the transaction that changed the
 * grant: an event exists exactly when the change was committed, and survives restarts.
 */
@ApplicationScoped
public class WebhookOutbox {

  static final String REAUTHORIZATION_REQUIRED = "grant.reauthorization_required";
  static final String RECOVERED = "grant.recovered";

  private final Database db;
  private final WebhookConfig config;
  private final ObjectMapper json;

  public WebhookOutbox(Database db, WebhookConfig config, ObjectMapper json) {
    this.db = db;
    this.config = config;
    this.json = json;
  }

  void onStatusChanged(@Observes GrantStatusChanged change) {
    if (config.url().isEmpty()) {
      return;
    }
    String type =
        change.to() == GrantStatus.REAUTHORIZATION_REQUIRED ? REAUTHORIZATION_REQUIRED : RECOVERED;
    String id = Ids.newId("whk");
    db.update(
        "Storing webhook delivery " + id,
        "insert into webhook_delivery (id, event_type, payload, created_at, attempts,"
            + " next_attempt_at) values (?1, ?2, ?3, ?4, 0, ?4)",
        id,
        type,
        payload(id, type, change),
        change.at());
  }

  private String payload(String id, String type, GrantStatusChanged change) {
    Map<String, Object> grant = new LinkedHashMap<>();
    grant.put("id", change.grantId());
    grant.put("provider_id", change.providerId());
    grant.put("subject", change.subject());
    grant.put("status", change.to().toString());
    grant.put(
        "last_error",
        change.errorCode() == null
            ? null
            : Map.of("code", change.errorCode(), "at", change.at().toString()));
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("id", id);
    event.put("type", type);
    event.put("occurred_at", change.at().toString());
    event.put("grant", grant);
    try {
      return json.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write a webhook payload", e);
    }
  }
}
