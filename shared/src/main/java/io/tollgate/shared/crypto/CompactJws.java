package io.tollgate.shared.crypto;

/** The syntax of a JWS in compact serialization, checked before any parsing. */
public final class CompactJws {
    private CompactJws() {
    }

    /**
     * Exactly three non-empty, unpadded base64url segments (RFC 7515 §7.1, §2): a padded or re-spelled copy of
     * a token (standard alphabet, {@code =}, whitespace) is not the token, and is refused before it is parsed.
     */
    public static boolean isWellFormed(String token) {
        if (token == null) {
            return false;
        }
        int dots = 0;
        int segment = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                if (segment == 0) {
                    return false;
                }
                dots++;
                segment = 0;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_') {
                segment++;
            } else {
                return false;
            }
        }
        return dots == 2 && segment > 0;
    }
}
