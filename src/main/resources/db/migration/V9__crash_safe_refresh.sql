-- Crash-safe rotation (ADR 7). refresh_token_generation counts the refresh tokens a grant has
-- held; attempt_generation / attempt_started_at record a refresh call that was started with that
-- generation and whose outcome is not known yet (set with the lease, cleared by the outcome).
ALTER TABLE oauth_grant ADD COLUMN refresh_token_generation BIGINT NOT NULL DEFAULT 0;
ALTER TABLE oauth_grant ADD COLUMN attempt_generation BIGINT;
ALTER TABLE oauth_grant ADD COLUMN attempt_started_at TIMESTAMP WITH TIME ZONE;

-- How long the provider still accepts a rotated-away refresh token.
ALTER TABLE provider ADD COLUMN refresh_token_reuse_grace_seconds INTEGER NOT NULL DEFAULT 0;
