package io.tollgate.shared.keys;

import java.util.Locale;

/**
 * Where a key of the key set file stands. A key moves {@code staged -> published -> active -> published} and
 * leaves the file when it is retired.
 */
public enum KeyState {
    /** In the file only: not in the JWKS, signs nothing, verifies nothing. */
    STAGED,
    /** In the JWKS and verifies; signs nothing (not yet, or no longer). */
    PUBLISHED,
    /** Signs every new token, is in the JWKS and verifies. Exactly one key of a usable set is active. */
    ACTIVE;

    /** The name in the file and on the command line: {@code staged}, {@code published}, {@code active}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static KeyState parse(String label) {
        for (KeyState s : values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown key state \"" + label + "\" (staged, published, active)");
    }

    /** Whether token-api serves the key at {@code /oauth2/jwks} and verifies tokens with it. */
    public boolean published() {
        return this != STAGED;
    }
}
