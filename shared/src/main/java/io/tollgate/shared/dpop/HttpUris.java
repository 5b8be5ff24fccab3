package io.tollgate.shared.dpop;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The form in which DPoP compares {@code htu} with the request URI (RFC 9449 §4.3 step 9, RFC 3986 §6.2.2 and
 * §6.2.3): scheme and host in lower case, the scheme's default port dropped, an empty path as {@code /},
 * percent-encodings in upper case; query and fragment ignored. Anything that is not an absolute http(s) URI with a
 * host and no user information has no form (null).
 */
public final class HttpUris {
    private HttpUris() {
    }

    /** The normalised {@code scheme://host[:port]/path} of {@code uri}, or null. */
    public static String normalize(String uri) {
        if (uri == null || uri.length() > 8192) {
            return null;
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = parsed.getScheme();
        if (scheme == null || parsed.getRawUserInfo() != null || parsed.getHost() == null || parsed.isOpaque()) {
            return null;
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        int port = parsed.getPort();
        if (scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443) {
            port = -1;
        } else if (!scheme.equals("http") && !scheme.equals("https")) {
            return null;
        }
        String path = parsed.getRawPath();
        StringBuilder out = new StringBuilder(uri.length());
        out.append(scheme).append("://").append(parsed.getHost().toLowerCase(Locale.ROOT));
        if (port >= 0) {
            out.append(':').append(port);
        }
        if (path == null || path.isEmpty()) {
            out.append('/');
        } else {
            for (int i = 0; i < path.length(); i++) {
                char c = path.charAt(i);
                if (c == '%' && i + 2 < path.length()) {
                    out.append('%').append(Character.toUpperCase(path.charAt(i + 1)))
                            .append(Character.toUpperCase(path.charAt(i + 2)));
                    i += 2;
                } else {
                    out.append(c);
                }
            }
        }
        return out.toString();
    }
}
