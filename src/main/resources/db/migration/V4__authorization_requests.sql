-- A started authorization: found by the SHA-256 of its state, used once, valid 10 minutes.
CREATE TABLE authorization_request (
    state_sha256     VARCHAR(64)  NOT NULL PRIMARY KEY,
    provider_id      VARCHAR(64)  NOT NULL REFERENCES provider (id) ON DELETE CASCADE,
    subject          VARCHAR(255) NOT NULL,
    scopes           TEXT         NOT NULL,
    return_url       VARCHAR(2048),
    code_verifier_ct TEXT,
    caller_id        VARCHAR(40)  NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at          TIMESTAMP WITH TIME ZONE
);
CREATE INDEX authorization_request_expiry ON authorization_request (expires_at);
