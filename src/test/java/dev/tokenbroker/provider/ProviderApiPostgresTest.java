package dev.tokenbroker.provider;

import dev.tokenbroker.support.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The providers API against a real PostgreSQL server. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class ProviderApiPostgresTest extends ProviderApiTest {}
