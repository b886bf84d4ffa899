CREATE TABLE caller (
    id          VARCHAR(40)  NOT NULL PRIMARY KEY,
    name        VARCHAR(100) NOT NULL,
    role        VARCHAR(16)  NOT NULL,
    allow_rules TEXT         NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT caller_name_unique UNIQUE (name)
);

-- Only a SHA-256 of each key's random secret is kept; the key itself is shown once.
CREATE TABLE api_key (
    id            VARCHAR(40) NOT NULL PRIMARY KEY,
    caller_id     VARCHAR(40) NOT NULL REFERENCES caller (id) ON DELETE CASCADE,
    secret_sha256 VARCHAR(64) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX api_key_caller ON api_key (caller_id);
