package io.tollgate.tokenapi.core;

import io.tollgate.shared.auth.SecretVerifier;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.registry.RegistryView;
import io.tollgate.tokenapi.api.OAuthException;

import java.util.Optional;

/**
 * Identifies the client from the registry view: public clients send no secret; confidential clients must
 * authenticate with one of their secret readings, compared through PBKDF2 in constant time.
 */
public final class ClientAuthenticator {
    private final RegistryView registry;
    private final SecretVerifier secrets;

    public ClientAuthenticator(RegistryView registry, SecretVerifier secrets) {
        this.registry = registry;
        this.secrets = secrets;
    }

    /** @throws OAuthException invalid_client (401, with a Basic challenge when Basic was used) */
    public ApplicationRecord authenticate(ClientCredentials credentials) {
        ApplicationRecord app = null;
        for (String id : credentials.idCandidates()) {
            Optional<ApplicationRecord> found = registry.application(id);
            if (found.isPresent()) {
                app = found.get();
                break;
            }
        }
        if (app == null) {
            throw OAuthException.invalidClient(credentials.basic());
        }
        if (app.clientType() == ApplicationRecord.ClientType.PUBLIC) {
            if (credentials.hasSecret()) {
                throw OAuthException.invalidClient(credentials.basic());
            }
            return app;
        }
        for (String secret : credentials.secretCandidates()) {
            if (secrets.verify(secret, app.secretHash())) {
                return app;
            }
        }
        throw OAuthException.invalidClient(credentials.basic());
    }
}
