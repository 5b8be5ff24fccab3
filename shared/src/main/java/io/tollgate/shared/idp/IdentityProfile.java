package io.tollgate.shared.idp;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A user as the HTTP identity provider describes them.
 *
 * @param subject        the provider's canonical id (the token's {@code sub}, every event and revocation)
 * @param groups         group names (entitlement)
 * @param disabled       the provider refuses this account
 * @param licenseExpires when the user's licence ends; null = no licence
 */
public record IdentityProfile(String subject, Set<String> groups, boolean disabled, Instant licenseExpires) {
    public IdentityProfile {
        Objects.requireNonNull(subject, "subject");
        groups = Set.copyOf(groups == null ? Set.of() : groups);
    }

    private static final int MAX_SUBJECT_LENGTH = 256;

    /** An id a provider may hand out: not blank, no control characters, at most 256 characters. */
    public static boolean wellFormedSubject(String id) {
        return id != null && !id.isBlank() && id.length() <= MAX_SUBJECT_LENGTH
                && id.chars().noneMatch(Character::isISOControl);
    }
}
