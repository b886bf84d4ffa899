package dev.tokenbroker.api;

import dev.tokenbroker.support.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same hostile input against PostgreSQL, where NUL bytes and out-of-range values fail. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class HostileInputFuzzPostgresTest extends HostileInputFuzzTest {}
