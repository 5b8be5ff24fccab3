package io.tollgate.gateway.steps;

import io.netty.util.AsciiString;
import io.tollgate.gateway.core.Exchange;
import io.tollgate.gateway.core.Rejection;
import io.tollgate.gateway.core.Stage;
import io.tollgate.gateway.core.Step;
import io.tollgate.gateway.core.VerifiedToken;
import io.tollgate.gateway.state.DpopReplayCache;
import io.tollgate.shared.dpop.DpopFailure;
import io.tollgate.shared.dpop.DpopProofVerifier;

import java.util.List;

/**
 * Sender-constrained tokens (RFC 9449 §7): a token with {@code cnf.jkt} is accepted only as {@code Authorization:
 * DPoP <token>} with one valid {@code DPoP} proof for this call, signed by that key ({@code htm} the method,
 * {@code htu} this request's URL as the gateway's clients address it, {@code ath} of the token, a fresh {@code iat};
 * see {@link DpopProofVerifier}), whose {@code jti} no gateway node has seen ({@link DpopReplayCache}).
 *
 * <p>The {@code htu} compared is {@code <listener scheme>://<Host header><path>}: {@code https} when the listener
 * terminates TLS, else {@code http}; forwarded headers are not consulted. A gateway behind a TLS-terminating proxy
 * therefore expects {@code http} URLs. A bearer token ({@code cnf} absent) is processed as Bearer and any
 * {@code DPoP} header is ignored (RFC 9449 §7.2) and never forwarded; the {@code DPoP} scheme with a bearer token is
 * refused (the client believes in a binding that does not exist). No server nonces are issued.
 */
public final class DpopStep implements Step {
    public static final AsciiString DPOP = AsciiString.cached("DPoP");
    private final DpopProofVerifier verifier;
    private final DpopReplayCache replay;

    public DpopStep(DpopProofVerifier verifier, DpopReplayCache replay) {
        this.verifier = verifier;
        this.replay = replay;
    }

    @Override
    public Stage apply(Exchange exchange) {
        VerifiedToken token = exchange.token();
        if (!exchange.dpopScheme() && token.jkt() == null) {
            return Stage.NEXT; // a bearer token presented as Bearer: no proof to check
        }
        if (token.jkt() == null) {
            return Rejection.dpopInvalidToken("the access token is not DPoP-bound: present it as Bearer");
        }
        if (!exchange.dpopScheme()) {
            return Rejection.dpopInvalidToken("a DPoP-bound access token must be presented with the DPoP scheme");
        }
        List<String> proofs = exchange.headers().getAll(DPOP);
        DpopProofVerifier.Result result = verifier.verify(proofs, exchange.method(), requestUrl(exchange),
                exchange.bearerToken(), token.jkt());
        if (!result.ok()) {
            return Rejection.invalidDpopProof(result.failure().description());
        }
        return (Stage.Pending) done -> replay.firstUse(result.proof().jti(), exchange.eventLoop(), first -> {
            if (first == null) {
                done.accept(Rejection.unavailable("the DPoP replay check is unavailable"));
            } else {
                done.accept(first ? Stage.NEXT : Rejection.invalidDpopProof(DpopFailure.REPLAYED.description()));
            }
        });
    }

    /** {@code <listener scheme>://<Host><path>}; without a Host (HTTP/1.0) no proof can match. */
    static String requestUrl(Exchange exchange) {
        String host = exchange.headers().get(io.netty.handler.codec.http.HttpHeaderNames.HOST);
        return host == null ? null : exchange.scheme() + "://" + host.trim() + exchange.path();
    }
}
