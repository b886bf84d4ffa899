package dev.tokenbroker.crypto;

import dev.tokenbroker.api.ApiException;
import dev.tokenbroker.audit.AuditActions;
import dev.tokenbroker.audit.AuditEvent;
import dev.tokenbroker.audit.AuditLog;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.OptionalInt;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

/**
 * Admin view of the crypto backend and key rotation: {@code GET /v1/admin/crypto}, and {@code POST
 * /v1/admin/crypto/rewrap} (optionally rotating the Vault Transit key first), which re-wraps every
 * stored ciphertext to the active key version.
 */
@Path("/v1/admin/crypto")
@Produces(MediaType.APPLICATION_JSON)
public class CryptoAdminResource {

  private static final Logger LOG = Logger.getLogger(CryptoAdminResource.class);

  private final AuditLog audit;
  private final SecretCipher cipher;
  private final CiphertextRewrapper rewrapper;

  public CryptoAdminResource(SecretCipher cipher, CiphertextRewrapper rewrapper, AuditLog audit) {
    this.audit = audit;
    this.cipher = cipher;
    this.rewrapper = rewrapper;
  }

  /** The backend, its active key version and how many ciphertexts an older version sealed. */
  public record Status(
      @Schema(examples = "local") String backend,
      @Schema(examples = "2") int activeKeyVersion,
      @Schema(examples = "0") long ciphertextsOnOldKeys) {}

  /** Body of the re-wrap request; {@code rotate_key} only for vault-transit. */
  public record RewrapRequest(
      @Schema(examples = "true", defaultValue = "false") Boolean rotateKey) {}

  @GET
  public Status status() {
    return new Status(cipher.backend(), cipher.activeKeyVersion(), rewrapper.countOnOldKeys());
  }

  @POST
  @Path("/rewrap")
  @Consumes(MediaType.APPLICATION_JSON)
  public CiphertextRewrapper.Report rewrap(RewrapRequest body) {
    if (body != null && Boolean.TRUE.equals(body.rotateKey())) {
      OptionalInt rotated = cipher.rotateKey();
      if (rotated.isEmpty()) {
        throw ApiException.invalidRequest(
            "rotate_key",
            "the "
                + cipher.backend()
                + " backend takes its keys from configuration: add a version to"
                + " broker.crypto.local.keys, restart, then re-wrap");
      }
      LOG.infof("Rotated the %s key to version %d", cipher.backend(), rotated.getAsInt());
    }
    CiphertextRewrapper.Report report = rewrapper.rewrapAll();
    audit.record(
        AuditEvent.success(AuditActions.CRYPTO_REWRAPPED)
            .detail(
                report.backend()
                    + " key version "
                    + report.activeKeyVersion()
                    + ": "
                    + report.rewrapped()
                    + " re-wrapped, "
                    + report.failed()
                    + " failed"));
    return report;
  }
}
