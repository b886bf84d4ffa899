-- Interrupted refreshes (a holder that died mid-call) are found by their attempt, due or not
CREATE INDEX oauth_grant_attempt ON oauth_grant (attempt_started_at);
