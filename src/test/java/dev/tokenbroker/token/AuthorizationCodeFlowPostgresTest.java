package dev.tokenbroker.token;

import dev.tokenbroker.support.PostgresSimulatorProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The whole authorization-code flow against a real PostgreSQL server. */
@QuarkusTest
@TestProfile(PostgresSimulatorProfile.class)
class AuthorizationCodeFlowPostgresTest extends AuthorizationCodeFlowTest {}
