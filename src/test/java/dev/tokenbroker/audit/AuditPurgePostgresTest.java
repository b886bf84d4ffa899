package dev.tokenbroker.audit;

import dev.tokenbroker.support.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The retention purge against a real PostgreSQL server. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class AuditPurgePostgresTest extends AuditPurgeTest {}
