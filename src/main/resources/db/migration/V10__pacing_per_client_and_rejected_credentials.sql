-- Pacing is per client at a token endpoint, not per provider: Open Badge Factory's "one token per
-- ten seconds" applies to the client credentials, which several providers may share.
CREATE TABLE token_endpoint_pacing (
    pacing_key      VARCHAR(64) NOT NULL PRIMARY KEY,
    next_allowed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    in_flight_until TIMESTAMP WITH TIME ZONE
);
DROP TABLE provider_rate_guard;

-- When the provider last refused the broker's own credentials (invalid_client); proactive
-- refreshes of its grants stop until the provider is replaced or tested.
ALTER TABLE provider ADD COLUMN credentials_rejected_at TIMESTAMP WITH TIME ZONE;
