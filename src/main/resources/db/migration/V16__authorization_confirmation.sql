-- App-confirmed consent (DESIGN §6 Authorization integrity): the tokens of a callback wait here,
-- sealed, until the caller that started the flow confirms the subject; nobody is served them
-- before that. settled_at marks a flow confirmed or discarded, whichever came first.
ALTER TABLE authorization_request ADD COLUMN confirmation_sha256 VARCHAR(64);
ALTER TABLE authorization_request ADD COLUMN grant_id VARCHAR(40);
ALTER TABLE authorization_request ADD COLUMN pending_access_token_ct TEXT;
ALTER TABLE authorization_request ADD COLUMN pending_refresh_token_ct TEXT;
ALTER TABLE authorization_request ADD COLUMN pending_scope TEXT;
ALTER TABLE authorization_request ADD COLUMN pending_issued_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE authorization_request ADD COLUMN pending_expires_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE authorization_request ADD COLUMN settled_at TIMESTAMP WITH TIME ZONE;
CREATE UNIQUE INDEX authorization_request_confirmation ON authorization_request (confirmation_sha256);
