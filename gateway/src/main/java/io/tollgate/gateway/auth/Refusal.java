package io.tollgate.gateway.auth;

/**
 * Why an access token is refused, each with the RFC 6750 {@code error_description} the gateway answers. Decided
 * by the exception's type or by the gateway's own checks, never by the text of a library's message.
 */
public enum Refusal {
    MALFORMED("the access token is not a well-formed JWT"),
    SIGNATURE_OR_TYPE("the access token signature or type is not accepted"),
    EXPIRED("the access token expired"),
    NOT_YET_VALID("the access token is not yet valid"),
    ISSUED_IN_FUTURE("the access token is issued in the future"),
    WRONG_AUDIENCE("the access token is not meant for this API"),
    WRONG_ISSUER("the access token has an unexpected issuer"),
    MISSING_CLAIMS("the access token lacks required claims"),
    UNSUPPORTED_CONFIRMATION("the access token's confirmation method is not supported"),
    /** Well-formed and signed, but neither a user's token nor a client's, or a claims set Nimbus refused. */
    INVALID("the access token is invalid"),
    UNVERIFIABLE("the access token could not be verified");

    private final String description;

    Refusal(String description) {
        this.description = description;
    }

    /** The {@code error_description}: safe to show the client. */
    public String description() {
        return description;
    }
}
