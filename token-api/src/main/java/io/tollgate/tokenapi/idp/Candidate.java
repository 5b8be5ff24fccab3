package io.tollgate.tokenapi.idp;

import io.tollgate.shared.crypto.Secret;

import java.util.Objects;
import java.util.Set;

/**
 * A typed name as the identity provider found it before any password is checked: the account lockout counts on,
 * and what {@link IdentityProvider#authenticate(Candidate, Secret)} needs to check the password without looking the
 * user up again.
 *
 * @param account   the provider's canonical id when it knows the name ({@code alice} for {@code Alice}); else the
 *                  name as typed
 * @param status    whether the provider knows the name
 * @param reference the provider's own handle on a {@link Status#KNOWN} user (the LDAP entry's DN), or null
 * @param groups    the names of a {@link Status#KNOWN} user's groups when the provider read them with the user
 *                  (from the entry's memberOf); null when it reads them once the password is right
 */
public record Candidate(String account, Status status, String reference, Set<String> groups) {

    public enum Status {
        /** The provider knows the user: {@link #account()} is its canonical id. */
        KNOWN,
        /** The provider has no such user: no password is right. */
        UNKNOWN,
        /** The provider names users only once a password is right (a credential-check API). */
        UNRESOLVED
    }

    public Candidate {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(status, "status");
        if (reference != null && status != Status.KNOWN) {
            throw new IllegalArgumentException("only a known user has a reference");
        }
        if (groups != null && status != Status.KNOWN) {
            throw new IllegalArgumentException("only a known user has groups");
        }
        groups = groups == null ? null : Set.copyOf(groups);
    }

    public static Candidate known(String canonicalId, String reference) {
        return new Candidate(canonicalId, Status.KNOWN, reference, null);
    }

    /** A known user whose groups the provider read along with it. */
    public static Candidate known(String canonicalId, String reference, Set<String> groups) {
        return new Candidate(canonicalId, Status.KNOWN, reference, Objects.requireNonNull(groups, "groups"));
    }

    public static Candidate unknown(String typed) {
        return new Candidate(typed, Status.UNKNOWN, null, null);
    }

    public static Candidate unresolved(String typed) {
        return new Candidate(typed, Status.UNRESOLVED, null, null);
    }
}
