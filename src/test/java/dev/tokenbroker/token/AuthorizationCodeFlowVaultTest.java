package dev.tokenbroker.token;

import dev.tokenbroker.vault.VaultProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The whole authorization-code flow with Vault Transit and Vault KV v2 holding the secrets. */
@QuarkusTest
@TestProfile(VaultProfile.class)
class AuthorizationCodeFlowVaultTest extends AuthorizationCodeFlowTest {}
