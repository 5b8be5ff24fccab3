package io.tollgate.tokenapi.core;

import io.tollgate.shared.dpop.DpopFailure;
import io.tollgate.shared.dpop.DpopProofVerifier;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.tokenapi.api.OAuthError;
import io.tollgate.tokenapi.api.OAuthException;
import io.tollgate.tokenapi.redis.DpopReplay;

import java.util.List;

/**
 * DPoP (RFC 9449) at the token endpoint: the one call a grant makes with the request's {@code DPoP} header values,
 * method and URL to learn the key its tokens are bound to. The URL a proof's {@code htu} must name is the token
 * endpoint's public URL, {@code issuer + /oauth2/token}: the configured issuer is the address clients use, also
 * behind a proxy or load balancer, so no {@code Host} or forwarded header is trusted for it.
 *
 * <p>A proof is verified by {@link DpopProofVerifier} ({@code ath} is not checked here: no access token is
 * presented) and its {@code jti} must be new to every token-api node ({@link DpopReplay}). A bad or replayed proof is
 * {@code invalid_dpop_proof} (400, RFC 9449 §5). An application that requires DPoP ({@code dpopRequired}) and sends
 * no proof also gets {@code invalid_dpop_proof}, not {@code invalid_request}: the code tells a DPoP client that
 * the missing proof is the problem, which a generic invalid_request would not. Server nonces are not issued.
 */
public final class DpopBinding {
    private static final String TOKEN_PATH = "/oauth2/token";
    private final DpopProofVerifier verifier;
    private final DpopReplay replay;
    private final String tokenEndpoint;

    public DpopBinding(DpopProofVerifier verifier, DpopReplay replay, String issuer) {
        this.verifier = verifier;
        this.replay = replay;
        this.tokenEndpoint = issuer + TOKEN_PATH;
    }

    /**
     * The RFC 7638 thumbprint ({@code cnf.jkt}) of the key the tokens of this request are bound to, or null when the
     * request carries no proof and {@code client} does not require one.
     *
     * @param proofs every {@code DPoP} header value of the request (empty or null: none)
     * @throws OAuthException {@code invalid_dpop_proof} for a bad, replayed or missing-but-required proof
     */
    public String keyFor(ApplicationRecord client, List<String> proofs) {
        if (proofs == null || proofs.isEmpty()) {
            if (client.dpopRequired()) {
                throw invalid(DpopFailure.MISSING.description() + " for this client");
            }
            return null;
        }
        DpopProofVerifier.Result result = verifier.verify(proofs, "POST", tokenEndpoint, null, null);
        if (!result.ok()) {
            throw invalid(result.failure().description());
        }
        if (!replay.firstUse(result.proof().jti())) {
            throw invalid(DpopFailure.REPLAYED.description());
        }
        return result.proof().jkt();
    }

    private static OAuthException invalid(String description) {
        return new OAuthException(OAuthError.INVALID_DPOP_PROOF, description);
    }
}
