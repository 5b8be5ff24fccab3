package io.tollgate.tokenapi.idp;

import io.tollgate.shared.idp.IdentityProfile;

import java.text.Normalizer;
import java.util.Locale;

/**
 * User ids as Tollgate keys them. A provider's canonical id is used as it is (the token's {@code sub}, every
 * event, limit and revocation); {@link #lockoutKey} folds a name for the failed-login counters only, so that
 * spellings of one name that a provider did not resolve ({@code ａｌｉｃｅ}, {@code alice\u00a0}) still count as
 * that name and cannot buy an attacker a fresh set of guesses.
 */
public final class CanonicalIds {
    private CanonicalIds() {
    }

    /** NFKC (fullwidth letters, no-break spaces become their plain forms), outer white space dropped, lower case. */
    public static String lockoutKey(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
    }

    /** An id a provider may hand out: not blank, no control characters, at most 256 characters. */
    public static boolean wellFormed(String id) {
        return IdentityProfile.wellFormedSubject(id);
    }
}
