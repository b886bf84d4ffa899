-- How many refreshes each replica sends a provider at once (DESIGN §5, 1-256): a large provider
-- needs more calls in flight than the old global per-provider setting of 8 allowed.
ALTER TABLE provider ADD COLUMN max_concurrent_refreshes INTEGER NOT NULL DEFAULT 8;
