-- When each provider's token endpoint may next be called, shared by all replicas: enforces
-- min_token_request_interval_seconds and any Retry-After a provider sent.
CREATE TABLE provider_rate_guard (
    provider_id     VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES provider (id) ON DELETE CASCADE,
    next_allowed_at TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO provider_rate_guard (provider_id, next_allowed_at)
SELECT id, CURRENT_TIMESTAMP FROM provider;
