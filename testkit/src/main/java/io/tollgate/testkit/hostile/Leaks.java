package io.tollgate.testkit.hostile;

import java.util.Collection;
import java.util.List;

/** What every fuzz suite checks an answer for: a stack trace, a reflected secret; and how it quotes an answer. */
public final class Leaks {
    private static final List<String> STACK_TRACE = List.of("Exception", "at io.", "at java.", "at org.", "Caused by");

    private Leaks() {
    }

    /** A problem description when {@code body} shows a stack trace, else null. */
    public static String stackTrace(String body) {
        for (String mark : STACK_TRACE) {
            if (body.contains(mark)) {
                return "stack trace in body: " + abbreviate(body);
            }
        }
        return null;
    }

    /**
     * A problem description when {@code answer} (headers and body) holds one of the {@code secrets} of at least
     * {@code minLength} characters, or the {@code marker} every fuzzed password carries; else null.
     */
    public static String reflected(String answer, Collection<String> secrets, int minLength, String marker) {
        for (String secret : secrets) {
            if (secret.length() >= minLength && answer.contains(secret)) {
                return "reflected secret, session or token " + abbreviate(secret);
            }
        }
        return marker != null && answer.contains(marker) ? "reflected password" : null;
    }

    /** One line, at most 300 characters (CR and LF shown as {@code \r}, {@code \n}). */
    public static String abbreviate(String s) {
        s = s.replace("\r", "\\r").replace("\n", "\\n");
        return s.length() > 300 ? s.substring(0, 300) + "...(" + s.length() + ")" : s;
    }
}
