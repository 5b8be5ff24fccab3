package io.tollgate.shared.events;

import java.time.Instant;
import java.util.List;

/**
 * A client credentials grant (RFC 6749 §4.4) issued an access token to a confidential client acting for itself. No
 * user is involved and no refresh token or token family exists: policy checks and the family projection do not apply
 * to it. Keyed (and {@code subject}) by the client id. Carries the token's id, never the token.
 *
 * @param audience the APIs of the token's {@code aud}
 */
public record ClientTokenIssued(
        String clientId,
        String applicationId,
        String jti,
        String scope,
        List<String> audience,
        Instant expiresAt,
        String ip) implements EventData {

    public ClientTokenIssued {
        Checks.text(clientId, "clientId");
        Checks.text(applicationId, "applicationId");
        Checks.text(jti, "jti");
        Checks.text(scope, "scope");
        audience = Checks.apis(audience, "audience");
        Checks.present(expiresAt, "expiresAt");
    }

    @Override
    public String subject() {
        return clientId;
    }
}
