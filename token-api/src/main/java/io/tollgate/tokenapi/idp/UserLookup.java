package io.tollgate.tokenapi.idp;

import java.util.Objects;

/**
 * What {@link IdentityProvider#lookup} tells of a user now: {@link Outcome#FOUND} with the identity,
 * {@link Outcome#NOT_FOUND}, or {@link Outcome#UNSUPPORTED} when the provider cannot look users up at all (what was
 * decided at login then stands). A provider that cannot answer now throws {@link IdentityProviderUnavailableException}
 * instead, as its other calls do: that is no outcome about the user.
 *
 * @param identity the user's identity; present exactly when the outcome is {@code FOUND}
 */
public record UserLookup(Outcome outcome, Identity identity) {
    private static final UserLookup NOT_FOUND = new UserLookup(Outcome.NOT_FOUND, null);
    private static final UserLookup UNSUPPORTED = new UserLookup(Outcome.UNSUPPORTED, null);

    public enum Outcome {
        /** The provider knows the user, as {@link #identity()}. */
        FOUND,
        /** The provider has no such user (or, for the HTTP provider, the account is disabled). */
        NOT_FOUND,
        /** The provider cannot look users up without their password (HTTP without a {@code profileUrl}). */
        UNSUPPORTED
    }

    public UserLookup {
        Objects.requireNonNull(outcome, "outcome");
        if ((outcome == Outcome.FOUND) != (identity != null)) {
            throw new IllegalArgumentException("an identity goes with FOUND, and only with it");
        }
    }

    public static UserLookup found(Identity identity) {
        return new UserLookup(Outcome.FOUND, Objects.requireNonNull(identity, "identity"));
    }

    public static UserLookup notFound() {
        return NOT_FOUND;
    }

    public static UserLookup unsupported() {
        return UNSUPPORTED;
    }
}
