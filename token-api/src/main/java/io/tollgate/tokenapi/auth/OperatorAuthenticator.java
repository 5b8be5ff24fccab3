package io.tollgate.tokenapi.auth;

import io.dropwizard.auth.Authenticator;
import io.tollgate.shared.auth.BasicAuthenticator;

import java.util.Optional;

/**
 * HTTP Basic of an operator account, checked by token-api's one account authenticator: a wrong password counts
 * against the client address in the brute-force guard, a locked address is refused without hashing, and each
 * wrong password is a {@code login.failed} on the audit stream. Missing, wrong and locked-out credentials are all
 * the same refusal ({@link OperatorChallenge}).
 */
public final class OperatorAuthenticator implements Authenticator<RequestCredentials, Operator> {
    private final BasicAuthenticator operators;

    public OperatorAuthenticator(BasicAuthenticator operators) {
        this.operators = operators;
    }

    @Override
    public Optional<Operator> authenticate(RequestCredentials credentials) {
        return operators.authenticate(credentials.authorization(), credentials.clientAddress()).map(Operator::new);
    }
}
