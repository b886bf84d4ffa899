-- A preset's base URL (for regions without documented domains), and the keep-alive period for
-- providers whose refresh tokens expire when unused.
ALTER TABLE provider ADD COLUMN base_url VARCHAR(2048);
ALTER TABLE provider ADD COLUMN keep_alive_seconds INTEGER;
