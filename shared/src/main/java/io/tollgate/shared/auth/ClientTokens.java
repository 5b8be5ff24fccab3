package io.tollgate.shared.auth;

/**
 * How an access token tells that it was issued to a client acting for itself (client credentials grant) and not to a
 * user: it carries {@value #GRANT_TYPE_CLAIM} = {@value #CLIENT_CREDENTIALS}, has no {@code sid} (no token family),
 * and its {@code sub} is its {@code client_id}. A user token always has a {@code sid} and never the claim, so a user
 * whose id happens to equal a client id is never taken for that client, nor the reverse.
 */
public final class ClientTokens {
    /** The grant-type claim (the name Auth0 uses for the same purpose). */
    public static final String GRANT_TYPE_CLAIM = "gty";
    public static final String CLIENT_CREDENTIALS = "client_credentials";

    private ClientTokens() {
    }
}
