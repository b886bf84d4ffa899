package dev.tokenbroker.oauth;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 6749 §5.1 token response; {@code issued_token_type} only for an RFC 8693 exchange, which
 * requires it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OAuthTokenResponse(
    @Schema(examples = "eyJhbGciOi...") String accessToken,
    @Schema(examples = "urn:ietf:params:oauth:token-type:access_token") String issuedTokenType,
    @Schema(examples = "Bearer") String tokenType,
    @Schema(examples = "3599") long expiresIn,
    @Schema(examples = "r:profile") String scope) {}
