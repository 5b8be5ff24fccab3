package io.tollgate.tokenapi.core;

import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.tokenapi.api.OAuthException;
import io.tollgate.tokenapi.api.TokenResponse;

/**
 * One grant type of the token endpoint (RFC 6749 §4), given a request whose client {@link TokenService} has already
 * authenticated; the service finds it by the {@code grant_type} value it answers (each grant's {@code GRANT_TYPE}).
 * A grant checks the rest of the request, binds its tokens to the request's DPoP key ({@link DpopBinding}) and
 * answers the token response, or refuses with an {@link OAuthException}.
 */
@FunctionalInterface
public interface TokenGrant {

    /**
     * @param client the authenticated client (public: by {@code client_id}; confidential: by its secret)
     * @throws OAuthException the RFC 6749 error for a refused request, or 503 for state that cannot be read now
     */
    TokenResponse issue(ApplicationRecord client, TokenRequest request);
}
