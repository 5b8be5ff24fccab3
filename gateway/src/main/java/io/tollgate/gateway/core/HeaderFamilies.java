package io.tollgate.gateway.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Header names the gateway owns: a family is a prefix ({@code X-Consumer-*}) or one exact name
 * ({@code X-ApiPlan}). Names compare case-insensitively and with {@code _} read as {@code -}, because CGI-style
 * backends (PHP, Rack, WSGI) map both to the same variable ({@code HTTP_X_AUTHENTICATED_USERID}).
 */
public final class HeaderFamilies {
    /** The identity families every route strips: the headers the gateway sets, and their neighbours in Kong's and wicked's naming. */
    public static final List<String> IDENTITY_DEFAULTS = List.of("X-Authenticated-*", "X-Consumer-*", "X-Credential-*",
            "X-Anonymous-*", "X-ApiPlan");

    private static final HeaderFamilies IDENTITY = of(IDENTITY_DEFAULTS);

    private final String[] prefixes;
    private final String[] exact;

    private HeaderFamilies(String[] prefixes, String[] exact) {
        this.prefixes = prefixes;
        this.exact = exact;
    }

    /** {@code patterns}: header names, each optionally ending in {@code *} (a prefix). */
    public static HeaderFamilies of(List<String> patterns) {
        List<String> prefixes = new ArrayList<>();
        List<String> exact = new ArrayList<>();
        for (String pattern : patterns) {
            String normal = pattern.replace('_', '-').toLowerCase(Locale.ROOT);
            if (normal.endsWith("*")) {
                prefixes.add(normal.substring(0, normal.length() - 1));
            } else {
                exact.add(normal);
            }
        }
        return new HeaderFamilies(prefixes.toArray(String[]::new), exact.toArray(String[]::new));
    }

    /** The default identity families. */
    public static HeaderFamilies identity() {
        return IDENTITY;
    }

    /** The default identity families plus {@code extra}. */
    public static HeaderFamilies identityAnd(List<String> extra) {
        if (extra.isEmpty()) {
            return IDENTITY;
        }
        List<String> all = new ArrayList<>(IDENTITY_DEFAULTS);
        all.addAll(extra);
        return of(all);
    }

    public boolean contains(CharSequence name) {
        for (String prefix : prefixes) {
            if (startsWithNormalized(name, prefix)) {
                return true;
            }
        }
        for (String e : exact) {
            if (e.length() == name.length() && startsWithNormalized(name, e)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code name}, lower-cased and with {@code _} as {@code -}, starts with {@code lowerPrefix} (which is
     * already lower case with hyphens). No copy of the name is made: this runs for every header of every request.
     */
    public static boolean startsWithNormalized(CharSequence name, String lowerPrefix) {
        int n = lowerPrefix.length();
        if (name.length() < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + 32);
            } else if (c == '_') {
                c = '-';
            }
            if (c != lowerPrefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Exact name comparison, normalised as in {@link #startsWithNormalized}. */
    public static boolean equalsNormalized(CharSequence name, String lowerName) {
        return name.length() == lowerName.length() && startsWithNormalized(name, lowerName);
    }
}
