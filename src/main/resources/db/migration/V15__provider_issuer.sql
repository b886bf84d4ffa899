-- RFC 9207: the authorization server's issuer identifier. When set, every authorization response
-- must carry a matching iss before its code is exchanged (DESIGN §6, mix-up defence).
ALTER TABLE provider ADD COLUMN issuer VARCHAR(2048);
