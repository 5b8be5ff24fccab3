package io.tollgate.gateway.auth;

import com.nimbusds.jwt.proc.BadJWTException;

/** A signed token the gateway's own checks refuse, with the {@link Refusal} that says why. */
final class RefusedTokenException extends BadJWTException {
    private final Refusal refusal;

    RefusedTokenException(Refusal refusal) {
        super(refusal.name());
        this.refusal = refusal;
    }

    Refusal refusal() {
        return refusal;
    }
}
