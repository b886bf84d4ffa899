-- Kubernetes service accounts (system:serviceaccount:<namespace>:<name>) that authenticate as a
-- caller with a JWT of the configured issuer; one caller per service account.
CREATE TABLE caller_service_account (
    subject    VARCHAR(340) NOT NULL PRIMARY KEY,
    caller_id  VARCHAR(40)  NOT NULL REFERENCES caller (id) ON DELETE CASCADE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX caller_service_account_caller ON caller_service_account (caller_id);
