-- The base URL of the platform's API that /v1/proxy/{provider_id}/{path} calls go to
-- (DESIGN §6 API proxy); filled by the presets where the platform documents it.
ALTER TABLE provider ADD COLUMN api_base_url VARCHAR(2048);
