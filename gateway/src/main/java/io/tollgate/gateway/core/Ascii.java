package io.tollgate.gateway.core;

/** The character classes of the HTTP and URI grammars: ALPHA and DIGIT (RFC 5234) plus a rule's own characters. */
public final class Ascii {
    private Ascii() {
    }

    /** Whether {@code c} is an ASCII letter or digit, or one of {@code others}. */
    public static boolean alphaNumOr(char c, String others) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || others.indexOf(c) >= 0;
    }

    /** Whether every character of {@code s} is an ASCII letter or digit, or one of {@code others}. */
    public static boolean allAlphaNumOr(CharSequence s, String others) {
        for (int i = 0; i < s.length(); i++) {
            if (!alphaNumOr(s.charAt(i), others)) {
                return false;
            }
        }
        return true;
    }
}
