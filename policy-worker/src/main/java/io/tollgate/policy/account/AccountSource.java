package io.tollgate.policy.account;

import io.tollgate.policy.core.SourceUnavailableException;

import java.util.Optional;

/** Where policy-worker reads a user's account from: the identity provider (LDAP or HTTP), or nowhere. */
public interface AccountSource {
    /**
     * @param userId the canonical id token-api stored and emitted (the identity provider's {@code sub})
     * @return the user's entry; empty when the source has no such user
     * @throws SourceUnavailableException when the source cannot answer
     */
    Optional<AccountEntry> find(String userId);
}
