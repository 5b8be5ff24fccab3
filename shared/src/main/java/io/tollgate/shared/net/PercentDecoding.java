package io.tollgate.shared.net;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The one percent-decoder (RFC 3986 §2.1), strict: every {@code %} starts two hex digits, the raw text is ASCII,
 * and the decoded bytes are UTF-8 (no overlong form such as {@code %c0%ae}, no lone surrogate, no truncated
 * sequence). What {@code +} means is the caller's to say: itself in a URI, a space in
 * {@code application/x-www-form-urlencoded}.
 */
public final class PercentDecoding {
    /** What a raw {@code +} decodes to. */
    public enum Plus {
        /** RFC 3986: {@code +} is itself (paths, query strings read as a URI). */
        LITERAL,
        /** {@code application/x-www-form-urlencoded}: {@code +} is a space. */
        SPACE
    }

    /** Why a text does not decode. */
    public enum Problem {
        /** A {@code %} not followed by two hex digits. */
        MALFORMED_ESCAPE,
        /** A raw character outside ASCII: a URI or a form carries those only percent-encoded. */
        RAW_NON_ASCII,
        /** The decoded bytes are not UTF-8. */
        NOT_UTF8
    }

    /** A text that does not decode, and why. */
    public static final class MalformedException extends IllegalArgumentException {
        private final Problem problem;

        MalformedException(Problem problem) {
            super(switch (problem) {
                case MALFORMED_ESCAPE -> "malformed percent-encoding";
                case RAW_NON_ASCII -> "a raw character outside ASCII";
                case NOT_UTF8 -> "the percent-encoded bytes are not UTF-8";
            });
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    private static final ThreadLocal<CharsetDecoder> UTF8 = ThreadLocal.withInitial(() ->
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT));

    private PercentDecoding() {
    }

    /** {@code s} decoded; null when it does not decode (see {@link #decode} for why). Allocates nothing for plain ASCII. */
    public static String decodeOrNull(String s, Plus plus) {
        int n = s.length();
        boolean escaped = false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return null;
            }
            if (c == '%' || c == '+' && plus == Plus.SPACE) {
                escaped = true;
            }
        }
        if (!escaped) {
            return s;
        }
        byte[] out = new byte[n];
        int length = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < n ? hex(s.charAt(i + 1)) : -1;
                int lo = hi < 0 ? -1 : hex(s.charAt(i + 2));
                if (lo < 0) {
                    return null;
                }
                out[length++] = (byte) (hi << 4 | lo);
                i += 2;
            } else {
                out[length++] = (byte) (c == '+' && plus == Plus.SPACE ? ' ' : c);
            }
        }
        try {
            return UTF8.get().reset().decode(ByteBuffer.wrap(out, 0, length)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** {@code s} decoded. @throws MalformedException when it does not decode, with the {@link Problem} */
    public static String decode(String s, Plus plus) {
        String decoded = decodeOrNull(s, plus);
        if (decoded == null) {
            throw new MalformedException(problem(s));
        }
        return decoded;
    }

    private static Problem problem(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return Problem.RAW_NON_ASCII;
            }
            if (c == '%') {
                if (i + 2 >= s.length() || hex(s.charAt(i + 1)) < 0 || hex(s.charAt(i + 2)) < 0) {
                    return Problem.MALFORMED_ESCAPE;
                }
                i += 2;
            }
        }
        return Problem.NOT_UTF8;
    }

    /**
     * The value of an ASCII hex digit, or -1. {@link HexFormat} knows only {@code 0-9 a-f A-F}: unlike
     * {@link Character#digit}, no other script's digits.
     */
    private static int hex(char c) {
        return HexFormat.isHexDigit(c) ? HexFormat.fromHexDigit(c) : -1;
    }
}
