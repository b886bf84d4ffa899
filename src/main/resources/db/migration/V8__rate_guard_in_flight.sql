-- While a paced provider's token request is in flight, no other may start (cluster-wide);
-- the next slot then opens one interval after the answer.
ALTER TABLE provider_rate_guard ADD COLUMN in_flight_until TIMESTAMP WITH TIME ZONE;
