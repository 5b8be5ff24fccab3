package io.tollgate.gateway.steps;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.tollgate.gateway.core.Ascii;
import io.tollgate.gateway.core.Exchange;
import io.tollgate.gateway.core.HeaderCount;
import io.tollgate.gateway.core.Rejection;
import io.tollgate.gateway.core.Stage;
import io.tollgate.gateway.core.Step;
import io.tollgate.gateway.core.TokenText;
import io.tollgate.shared.net.PercentDecoding;

import java.util.regex.Pattern;

/**
 * Refuses requests the gateway must never proxy: dot-dot path segments (plain or percent-encoded, also
 * behind an encoded slash or backslash), a token in the query string, a malformed {@code Authorization}
 * header (RFC 6750 §2.1 syntax). Extracts the access token of the {@code Bearer} or {@code DPoP} scheme (RFC 9449
 * §7.1, same token68 syntax).
 */
public final class RequestSanityStep implements Step {
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*");

    @Override
    public Stage apply(Exchange exchange) {
        String path = exchange.path();
        if (path.isEmpty() || path.charAt(0) != '/') {
            return Rejection.badRequest("the request target must be an absolute path");
        }
        if (!isPathChars(path)) {
            return Rejection.badRequest("the path holds characters that are not allowed in a URI");
        }
        String decoded = percentDecode(path);
        if (decoded == null) {
            return Rejection.badRequest("malformed percent-encoding in the path");
        }
        if (hasControl(decoded)) {
            return Rejection.badRequest("control characters are not allowed in the path");
        }
        // Decode twice: a double-encoded %252e%252e is still a traversal for some upstreams.
        String twice = percentDecode(decoded);
        if (hasDotSegment(decoded) || (twice != null && hasDotSegment(twice))) {
            return Rejection.badRequest("dot segments are not allowed in the path");
        }
        if (exchange.query() != null && hasAccessTokenParameter(exchange.query())) {
            return Rejection.invalidRequest("access tokens are not accepted in the query string");
        }
        String header = exchange.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null) {
            return Stage.NEXT;
        }
        if (HeaderCount.of(exchange.headers(), HttpHeaderNames.AUTHORIZATION) > 1) {
            return Rejection.invalidRequest("more than one Authorization header");
        }
        // Read in place (bounds, as String.trim() would cut them): the value holds a token of some 700 characters.
        int start = 0;
        int end = header.length();
        while (start < end && header.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && header.charAt(end - 1) <= ' ') {
            end--;
        }
        int space = header.indexOf(' ', start);
        if (space >= end) {
            space = -1;
        }
        int schemeEnd = space < 0 ? end : space;
        boolean dpop = isScheme(header, start, schemeEnd, "DPoP");
        if (!dpop && !isScheme(header, start, schemeEnd, "Bearer")) {
            String value = header.substring(start, end);
            if (schemeEnd == start || space < 0 && !SCHEME.matcher(value).matches()) {
                return Rejection.invalidRequest("malformed Authorization header");
            }
            return Stage.NEXT; // another scheme: no bearer credentials, answered 401 without an error code
        }
        int from = space < 0 ? end : space + 1;
        while (from < end && header.charAt(from) <= ' ') {
            from++;
        }
        if (!isB64Token(header, from, end)) {
            return Rejection.invalidRequest("malformed Authorization header");
        }
        exchange.bearer(new TokenText(header, from, end));
        exchange.dpopScheme(dpop);
        return Stage.NEXT;
    }

    /** {@code [from, to)} of {@code s} is {@code scheme}, case-insensitively. */
    private static boolean isScheme(String s, int from, int to, String scheme) {
        return to - from == scheme.length() && s.regionMatches(true, from, scheme, 0, scheme.length());
    }

    /** The b64token characters before its padding. */
    private static final boolean[] B64TOKEN = Ascii.alphaNumOr("-._~+/");
    /** pchar and "/" (RFC 3986), unencoded or percent-encoded. */
    private static final boolean[] PATH_CHARS = Ascii.alphaNumOr("-._~!$&'()*+,;=:@/%");

    /** RFC 6750 §2.1 b64token: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" (a loop: hot path). */
    static boolean isB64Token(String s) {
        return isB64Token(s, 0, s.length());
    }

    /** {@link #isB64Token(String)} of the characters {@code [from, n)} of {@code s}. */
    static boolean isB64Token(String s, int from, int n) {
        int i = from;
        while (i < n) {
            char c = s.charAt(i);
            if (Ascii.in(B64TOKEN, c)) {
                i++;
            } else {
                break;
            }
        }
        if (i == from) {
            return false;
        }
        while (i < n && s.charAt(i) == '=') {
            i++;
        }
        return i == n;
    }

    /**
     * Raw characters of an RFC 3986 path (pchar and "/"): no backslash, space, control, quote or non-ASCII
     * byte reaches an upstream that might read a backslash as a separator or stop at a NUL.
     */
    static boolean isPathChars(String path) {
        return Ascii.allIn(path, PATH_CHARS);
    }

    /** A ".." or "." segment, also with path parameters ({@code ..;x}, which Tomcat and Spring read as ".."). */
    static boolean hasDotSegment(String path) {
        int n = path.length();
        int start = 0;
        for (int i = 0; i <= n; i++) {
            if (i == n || path.charAt(i) == '/' || path.charAt(i) == '\\') {
                // the segment [start, i), up to a ';' (path parameters)
                int end = start;
                while (end < i && path.charAt(end) != ';') {
                    end++;
                }
                int length = end - start;
                if ((length == 1 || length == 2) && path.charAt(start) == '.'
                        && (length == 1 || path.charAt(start + 1) == '.')) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    static boolean hasAccessTokenParameter(String query) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = percentDecode(eq < 0 ? pair : pair.substring(0, eq));
            // also access_token[] and access_token.x, which PHP and Rails style parsers turn into access_token
            if (name == null || name.toLowerCase(java.util.Locale.ROOT).startsWith("access_token")) {
                return true;
            }
        }
        return false;
    }

    /** RFC 3986 percent-decoding ({@code +} is itself); null when malformed or not UTF-8 (overlong %c0%ae). */
    static String percentDecode(String s) {
        return PercentDecoding.decodeOrNull(s, PercentDecoding.Plus.LITERAL);
    }
}
