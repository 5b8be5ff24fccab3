package io.tollgate.tokenapi.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Redirect URIs of the authorization code flow (RFC 6749 §3.1.2, RFC 8252 §7, RFC 9700 §2.1). A registered URI is one
 * of: a claimed {@code https} URI; a private-use scheme in reverse-domain form ({@code io.tollgate.demo:/oauth2redirect});
 * a loopback IP literal over {@code http} ({@code http://127.0.0.1/cb}, {@code http://[::1]/cb}; never
 * {@code localhost}). Fragments, wildcards, user info and any other {@code http} host are refused.
 *
 * <p>Matching is an exact string comparison, except that a loopback URI matches on any port (RFC 8252 §7.3): the
 * app opens an ephemeral port when it starts the flow.
 */
public final class RedirectUris {
    /** At most this many URIs per application, each at most {@link #MAX_LENGTH} characters. */
    public static final int MAX_COUNT = 10;
    public static final int MAX_LENGTH = 512;
    private static final Pattern PRIVATE_SCHEME = Pattern.compile("[a-z][a-z0-9+-]*(\\.[a-z0-9+-]+)+");
    private static final List<String> LOOPBACK_HOSTS = List.of("127.0.0.1", "[::1]");

    private RedirectUris() {
    }

    /** Why {@code uri} cannot be registered; empty when it can. */
    public static Optional<String> problem(String uri) {
        if (uri == null || uri.isEmpty()) {
            return Optional.of("a redirect URI must not be empty");
        }
        if (uri.length() > MAX_LENGTH) {
            return Optional.of("a redirect URI has at most " + MAX_LENGTH + " characters");
        }
        if (uri.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
            return Optional.of("a redirect URI has no spaces, control or non-ASCII characters");
        }
        if (uri.indexOf('#') >= 0) {
            return Optional.of("a redirect URI must not have a fragment");
        }
        if (uri.indexOf('*') >= 0) {
            return Optional.of("a redirect URI must not have wildcards");
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return Optional.of("a redirect URI must be a valid absolute URI");
        }
        String scheme = parsed.getScheme();
        if (scheme == null) {
            return Optional.of("a redirect URI must be absolute");
        }
        if (!scheme.equals(scheme.toLowerCase(java.util.Locale.ROOT))) {
            return Optional.of("a redirect URI's scheme is lower case");
        }
        if (parsed.getRawUserInfo() != null) {
            return Optional.of("a redirect URI must not carry user information");
        }
        switch (scheme) {
            case "https" -> {
                if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
                    return Optional.of("an https redirect URI needs a host");
                }
                return Optional.empty();
            }
            case "http" -> {
                if (!isLoopback(parsed)) {
                    return Optional.of("an http redirect URI must be a loopback IP literal (http://127.0.0.1 or"
                            + " http://[::1]); use https or a private-use scheme otherwise");
                }
                return Optional.empty();
            }
            default -> {
                if (!PRIVATE_SCHEME.matcher(scheme).matches()) {
                    return Optional.of("a private-use redirect URI scheme is a reverse domain name"
                            + " (e.g. io.tollgate.demo:/oauth2redirect)");
                }
                if (parsed.getRawSchemeSpecificPart() == null || parsed.getRawSchemeSpecificPart().isEmpty()) {
                    return Optional.of("a private-use redirect URI needs a path");
                }
                return Optional.empty();
            }
        }
    }

    /** Whether {@code presented} is one of {@code registered} (exactly, or a loopback URI on another port). */
    public static boolean matches(List<String> registered, String presented) {
        if (presented == null || problem(presented).isPresent()) {
            return false;
        }
        for (String candidate : registered) {
            if (candidate.equals(presented) || loopbackMatch(candidate, presented)) {
                return true;
            }
        }
        return false;
    }

    private static boolean loopbackMatch(String registered, String presented) {
        try {
            URI r = new URI(registered);
            URI p = new URI(presented);
            return "http".equals(r.getScheme()) && "http".equals(p.getScheme()) && isLoopback(r) && isLoopback(p)
                    && r.getHost().equals(p.getHost())
                    && Objects.equals(r.getRawPath(), p.getRawPath())
                    && Objects.equals(r.getRawQuery(), p.getRawQuery());
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean isLoopback(URI uri) {
        return uri.getHost() != null && LOOPBACK_HOSTS.contains(uri.getHost()) && uri.getRawAuthority() != null
                && (uri.getRawAuthority().equals(uri.getHost())
                || uri.getRawAuthority().equals(uri.getHost() + ":" + uri.getPort()));
    }
}
