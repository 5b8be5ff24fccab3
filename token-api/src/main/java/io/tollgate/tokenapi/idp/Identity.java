package io.tollgate.tokenapi.idp;

import java.util.Objects;
import java.util.Set;

/** An authenticated user as the identity provider knows them: the subject (uid) and group names. */
public record Identity(String subject, Set<String> groups) {
    public Identity {
        Objects.requireNonNull(subject, "subject");
        if (subject.isBlank()) {
            throw new IllegalArgumentException("subject must not be blank");
        }
        groups = Set.copyOf(groups == null ? Set.of() : groups);
    }
}
