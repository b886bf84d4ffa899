-- Audit trail: who did what, when, with which outcome. Never a secret.
CREATE TABLE audit_event (
    id          VARCHAR(40)  NOT NULL PRIMARY KEY,
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
    actor       VARCHAR(64)  NOT NULL,
    action      VARCHAR(64)  NOT NULL,
    outcome     VARCHAR(64)  NOT NULL,
    provider_id VARCHAR(64),
    grant_id    VARCHAR(40),
    subject     VARCHAR(255),
    target      VARCHAR(128),
    request_id  VARCHAR(64),
    detail      VARCHAR(500)
);
CREATE INDEX audit_event_time ON audit_event (occurred_at, id);
CREATE INDEX audit_event_grant ON audit_event (grant_id, occurred_at);

-- Webhook deliveries, written in the transaction that changed the grant (outbox).
CREATE TABLE webhook_delivery (
    id              VARCHAR(40)  NOT NULL PRIMARY KEY,
    event_type      VARCHAR(64)  NOT NULL,
    payload         TEXT         NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts        INTEGER      NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE,
    delivered_at    TIMESTAMP WITH TIME ZONE,
    last_error      VARCHAR(200),
    lease_owner     VARCHAR(40),
    lease_expires_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at);
