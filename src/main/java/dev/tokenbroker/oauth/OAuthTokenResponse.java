package dev.tokenbroker.oauth;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 6749 §5.1 token response; {@code issued_token_type} only for an RFC 8693 exchange, which
 * requires it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OAuthTokenResponse(
    String accessToken, String issuedTokenType, String tokenType, long expiresIn, String scope) {}
