package io.tollgate.tokenapi.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A successful token response (RFC 6749 §5.1); {@code scope} is always present, {@code refresh_token} only when one
 * was issued (never by the client credentials grant).
 */
public record TokenResponse(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("refresh_token") @JsonInclude(JsonInclude.Include.NON_NULL) String refreshToken,
        @JsonProperty("scope") String scope) {

    public static final String BEARER = "Bearer";
    /** RFC 9449 §5: the access token is bound to the DPoP key whose thumbprint it carries in {@code cnf.jkt}. */
    public static final String DPOP = "DPoP";

    /** The token type for an access token bound to {@code jkt}, or a bearer token when null. */
    public static String typeFor(String jkt) {
        return jkt == null ? BEARER : DPOP;
    }

    @Override
    public String toString() {
        return "TokenResponse[access_token=[REDACTED], refresh_token=[REDACTED], scope=" + scope + "]";
    }
}
