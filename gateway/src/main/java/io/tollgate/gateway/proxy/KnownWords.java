package io.tollgate.gateway.proxy;

import io.netty.util.AsciiString;

import java.util.Arrays;

/**
 * Finds a common word of a head (a method, version, status, reason or field name in its usual spelling) among the
 * codecs' shared constants, by its exact bytes, so a head in the common case makes no copy of it.
 */
final class KnownWords {
    private KnownWords() {
    }

    /** The index in {@code names} of the name that is exactly {@code bytes[start, start + length)}, or -1. */
    static int indexOf(AsciiString[] names, byte[] bytes, int start, int length) {
        for (int i = 0; i < names.length; i++) {
            AsciiString name = names[i];
            if (name.length() == length && Arrays.equals(name.array(), name.arrayOffset(),
                    name.arrayOffset() + length, bytes, start, start + length)) {
                return i;
            }
        }
        return -1;
    }

    /** The name of {@code names} that is exactly {@code bytes[start, start + length)}, or null. */
    static AsciiString name(AsciiString[] names, byte[] bytes, int start, int length) {
        int i = indexOf(names, bytes, start, length);
        return i < 0 ? null : names[i];
    }

    /** The word of {@code words} (ASCII) that is exactly {@code bytes[start, start + length)}, or null. */
    static String word(String[] words, byte[] bytes, int start, int length) {
        for (String word : words) {
            if (word.length() == length && matches(word, bytes, start)) {
                return word;
            }
        }
        return null;
    }

    private static boolean matches(String word, byte[] bytes, int start) {
        for (int i = 0; i < word.length(); i++) {
            if (bytes[start + i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
