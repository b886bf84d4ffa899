-- How a narrower token is obtained for a caller whose allow rules cover less than the grant
-- (DESIGN §6): NONE (refuse with scope_not_allowed) or REFRESH (RFC 6749 §6 with a scope subset).
ALTER TABLE provider ADD COLUMN downscope VARCHAR(16) DEFAULT 'NONE' NOT NULL;
