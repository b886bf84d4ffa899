-- One row per (provider, subject). Secrets are ciphertexts bound to the row id.
CREATE TABLE oauth_grant (
    id                      VARCHAR(40)  NOT NULL PRIMARY KEY,
    provider_id             VARCHAR(64)  NOT NULL REFERENCES provider (id),
    subject                 VARCHAR(255) NOT NULL,
    scopes                  TEXT         NOT NULL,
    status                  VARCHAR(32)  NOT NULL,
    refresh_token_ct        TEXT,
    access_token_ct         TEXT,
    access_token_scopes     TEXT,
    access_token_issued_at  TIMESTAMP WITH TIME ZONE,
    access_token_expires_at TIMESTAMP WITH TIME ZONE,
    last_refreshed_at       TIMESTAMP WITH TIME ZONE,
    next_refresh_at         TIMESTAMP WITH TIME ZONE,
    lease_owner             VARCHAR(80),
    lease_expires_at        TIMESTAMP WITH TIME ZONE,
    refresh_failures        INTEGER      NOT NULL DEFAULT 0,
    last_error_code         VARCHAR(64),
    last_error_at           TIMESTAMP WITH TIME ZONE,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    version                 BIGINT       NOT NULL,
    CONSTRAINT oauth_grant_provider_subject UNIQUE (provider_id, subject)
);
CREATE INDEX oauth_grant_due ON oauth_grant (next_refresh_at);
CREATE INDEX oauth_grant_status ON oauth_grant (status);
