package dev.tokenbroker.caller;

import dev.tokenbroker.support.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Caller isolation against a real PostgreSQL server (LIKE escaping, filters in the query). */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class CallerIsolationPostgresTest extends CallerIsolationTest {}
