package io.tollgate.tokenapi.idp;

import io.tollgate.shared.idp.IdentityProfile;

import java.text.Normalizer;
import java.util.Locale;
import java.util.function.Consumer;

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

    /**
     * The user id an operator's action on {@code typed} applies to, as tokens carry it ({@code sub}): the provider's
     * canonical id when it knows the name ({@code ALICE} is alice), else the name as typed (a user already deleted
     * from the directory, an HTTP provider, or the provider unreachable, which {@code unavailable} hears of: an
     * operator's action on an exact id must never wait on the provider).
     */
    public static String resolvedOrTyped(IdentityProvider idp, String typed,
                                         Consumer<IdentityProviderUnavailableException> unavailable) {
        try {
            return idp.find(typed).account();
        } catch (IdentityProviderUnavailableException e) {
            unavailable.accept(e);
            return typed;
        }
    }

    /** An id a provider may hand out: not blank, no control characters, at most 256 characters. */
    public static boolean wellFormed(String id) {
        return IdentityProfile.wellFormedSubject(id);
    }
}
