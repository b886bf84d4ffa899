-- Providers that registered the broker themselves (RFC 7591) from a Badge Connect manifest or an
-- Open Badges 3.0 / CLR 2.0 service description document. The registration access token (RFC 7592)
-- is sealed like every secret column; the client secret stays where client secrets live.
ALTER TABLE provider ADD COLUMN discovery_url VARCHAR(2048);
ALTER TABLE provider ADD COLUMN registered_at TIMESTAMP WITH TIME ZONE;
-- null: the secret does not expire (RFC 7591 client_secret_expires_at = 0)
ALTER TABLE provider ADD COLUMN client_secret_expires_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE provider ADD COLUMN registration_client_uri VARCHAR(2048);
ALTER TABLE provider ADD COLUMN registration_access_token_ct TEXT;
-- one replica at a time registers a provider again: it holds this claim while it talks to the host
ALTER TABLE provider ADD COLUMN registration_claimed_until TIMESTAMP WITH TIME ZONE;
