package io.tollgate.gateway.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.tollgate.gateway.core.Ascii;
import io.tollgate.gateway.core.HeaderCount;
import io.tollgate.gateway.core.HeaderFamilies;
import io.tollgate.gateway.core.Rejection;
import io.tollgate.gateway.core.RouteTable;
import io.tollgate.shared.net.ClientAddresses;
import io.tollgate.shared.net.TrustedProxies;

import java.util.ArrayList;
import java.util.List;

/**
 * The entrance: turns a decoded request into one clean request before any pipeline step reads it, as Envoy's
 * connection manager and Zuul's inbound filters do. Netty's decoder has already refused broken syntax
 * (bare CR or LF, a space before a colon, controls in names or values, Transfer-Encoding with Content-Length, or
 * on HTTP/1.0, chunked not last, conflicting Content-Length). Here:
 * <ul>
 * <li>framing: {@code Transfer-Encoding} must be exactly {@code chunked}; the length is the decoder's; both
 *     framing headers are removed and the gateway frames what it forwards itself ({@link RequestFraming});</li>
 * <li>{@code Connection}: its options must be tokens and must not name a header that framing or the gateway
 *     depends on; the headers it names and the standard hop-by-hop headers (RFC 9110 §7.6.1) are removed;</li>
 * <li>an absolute-form target becomes origin-form, its authority the {@code Host} (RFC 9112 §3.2.2);</li>
 * <li>{@code Host}: exactly one on HTTP/1.1, well formed; {@code Expect}: only {@code 100-continue}
 *     (answered by the gateway after admission), else 417; {@code TRACE} and {@code CONNECT}: 405;</li>
 * <li>identity headers: every header of the route's identity families, in any case, with underscores, and
 *     duplicates, is removed; so is any underscore spelling of a header the gateway reads or sets;</li>
 * <li>forwarded headers: {@code X-Forwarded-For/-Host/-Proto/-Port}, {@code Forwarded} and {@code X-Real-IP}
 *     are replaced by the gateway's own values, or appended to when the peer is a trusted proxy;</li>
 * <li>W3C Trace Context ({@link #trace}): a valid {@code traceparent} goes on with its {@code tracestate}; a missing,
 *     repeated or invalid one is replaced by a new one, and its {@code tracestate} dropped.</li>
 * </ul>
 * Every refusal here is answered with {@code Connection: close}: after a request the gateway would not forward,
 * where the next one starts is in doubt.
 */
final class Inbound {
    static final io.netty.util.AsciiString X_FORWARDED_FOR = io.netty.util.AsciiString.cached("X-Forwarded-For");
    static final io.netty.util.AsciiString X_FORWARDED_PROTO = io.netty.util.AsciiString.cached("X-Forwarded-Proto");
    static final io.netty.util.AsciiString X_FORWARDED_HOST = io.netty.util.AsciiString.cached("X-Forwarded-Host");
    static final io.netty.util.AsciiString X_FORWARDED_PORT = io.netty.util.AsciiString.cached("X-Forwarded-Port");
    static final io.netty.util.AsciiString FORWARDED = io.netty.util.AsciiString.cached("Forwarded");
    static final io.netty.util.AsciiString X_REAL_IP = io.netty.util.AsciiString.cached("X-Real-IP");
    static final io.netty.util.AsciiString TRACEPARENT = io.netty.util.AsciiString.cached("traceparent");
    static final io.netty.util.AsciiString TRACESTATE = io.netty.util.AsciiString.cached("tracestate");

    /** Hop-by-hop headers (RFC 9110 §7.6.1, plus Proxy-Connection and Keep-Alive), lower case. */
    private static final String[] HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authenticate",
        "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade"};
    /** Headers framing or the gateway depends on (reads, sets or strips), beside the identity and forwarded families. */
    private static final String[] RESERVED = {"content-length", "transfer-encoding", "host", "authorization",
        "dpop", "expect", "x-request-id", "forwarded", "x-real-ip"};
    private static final String FORWARDED_PREFIX = "x-forwarded-";
    /** RFC 9110 tchar. */
    private static final boolean[] TCHAR = Ascii.alphaNumOr("!#$%&'*+-.^_`|~");
    /** A DNS name's or an IPv4 address's characters in {@code Host}. */
    private static final boolean[] HOST_CHARS = Ascii.alphaNumOr("-._~");

    private final RouteTable routes;
    private final ClientAddresses clientAddresses;

    Inbound(RouteTable routes, TrustedProxies trusted) {
        this.routes = routes;
        this.clientAddresses = new ClientAddresses(trusted, ClientAddresses.Header.X_FORWARDED_FOR);
    }

    /** Normalises {@code request} in place and fills {@code framing}; a non-null result is the refusal. */
    Rejection normalize(HttpRequest request, ClientConnection client, RequestFraming framing) {
        framing.reset();
        HttpVersion version = request.protocolVersion();
        boolean http11 = version.majorVersion() == 1 && version.minorVersion() == 1;
        if (!http11 && !(version.majorVersion() == 1 && version.minorVersion() == 0)
                || !"HTTP".equals(version.protocolName())) {
            return Rejection.badRequest("only HTTP/1.1 and HTTP/1.0 are supported");
        }
        HttpMethod method = request.method();
        if (HttpMethod.TRACE.equals(method) || HttpMethod.CONNECT.equals(method)) {
            return Rejection.methodNotAllowed();
        }
        HttpHeaders headers = request.headers();
        framing.keepAlive = HttpUtil.isKeepAlive(request);

        List<String> encodings = all(headers, HttpHeaderNames.TRANSFER_ENCODING);
        if (!encodings.isEmpty()) {
            if (encodings.size() != 1 || !encodings.get(0).trim().equalsIgnoreCase("chunked")) {
                return Rejection.badRequest("the only Transfer-Encoding accepted is chunked");
            }
            framing.chunked = true;
        } else {
            framing.contentLength = HttpUtil.getContentLength(request, -1L); // the decoder checked it is one number
        }

        String uri = request.uri();
        if (!uri.isEmpty() && uri.charAt(0) != '/') {
            Rejection refusal = toOriginForm(request, http11);
            if (refusal != null) {
                return refusal;
            }
        }
        String host = headers.get(HttpHeaderNames.HOST);
        if (host != null && HeaderCount.of(headers, HttpHeaderNames.HOST) > 1) {
            return Rejection.badRequest("more than one Host header");
        }
        host = host == null ? null : host.trim();
        if (host == null ? http11 : !isHost(host)) {
            return Rejection.badRequest(host == null ? "HTTP/1.1 requires a Host header" : "malformed Host header");
        }

        List<String> expectations = all(headers, HttpHeaderNames.EXPECT);
        if (!expectations.isEmpty()) {
            if (expectations.size() != 1 || !expectations.get(0).trim().equalsIgnoreCase("100-continue")) {
                return Rejection.expectationFailed();
            }
            framing.expectContinue = http11; // RFC 9110 §10.1.1: ignored in an HTTP/1.0 request
        }

        HeaderFamilies identity = routes.current().identityHeaders(request.uri());
        List<CharSequence> remove = null; // nearly always stays null: most requests carry nothing to remove
        List<String> connections = all(headers, HttpHeaderNames.CONNECTION);
        for (int c = 0; c < connections.size(); c++) { // by index: no iterator for the usual empty list
            for (String option : connections.get(c).split(",", -1)) {
                String name = option.trim();
                if (name.isEmpty()) {
                    continue;
                }
                if (!isToken(name)) {
                    return Rejection.badRequest("malformed Connection header");
                }
                if (isReserved(name) || identity.contains(name)) {
                    return Rejection.badRequest("a Connection option names a header the gateway depends on");
                }
                remove = add(remove, name);
            }
        }

        boolean appendForwarded = client.trustedPeer();
        for (var it = headers.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            boolean underscored = indexOf(name, '_') >= 0;
            if (isOneOf(name, HOP_BY_HOP, underscored) || identity.contains(name)
                    || isOneOf(name, RESERVED, true) && (underscored || isFramingOrExpect(name))
                    || isForwarded(name) && (underscored || !appendForwarded)) {
                remove = add(remove, name);
            }
        }
        // The trusted proxy's values, read before anything is removed or set.
        String priorFor = appendForwarded ? joined(headers.getAll(X_FORWARDED_FOR)) : null;
        String priorForwarded = appendForwarded ? joined(headers.getAll(FORWARDED)) : null;
        String priorProto = appendForwarded ? single(headers.getAll(X_FORWARDED_PROTO)) : null;
        String priorHost = appendForwarded ? single(headers.getAll(X_FORWARDED_HOST)) : null;
        String priorPort = appendForwarded ? single(headers.getAll(X_FORWARDED_PORT)) : null;
        if (remove != null) {
            for (CharSequence name : remove) {
                headers.remove(name); // names compare case-insensitively
            }
        }
        if (appendForwarded) {
            headers.remove(X_FORWARDED_FOR).remove(FORWARDED).remove(X_FORWARDED_PROTO).remove(X_FORWARDED_HOST)
                    .remove(X_FORWARDED_PORT).remove(X_REAL_IP);
        }

        String peer = client.peerIp();
        String proto = priorProto != null && (priorProto.equalsIgnoreCase("http") || priorProto.equalsIgnoreCase("https"))
                ? priorProto.toLowerCase(java.util.Locale.ROOT) : client.scheme();
        String forwardedHost = priorHost != null && isHost(priorHost) ? priorHost : host;
        String port = priorPort != null && isPort(priorPort) ? priorPort : client.localPortText();
        headers.set(X_FORWARDED_FOR, priorFor == null ? peer : priorFor + ", " + peer);
        headers.set(X_REAL_IP, priorFor == null ? peer : clientAddresses.resolve(peer, List.of(priorFor)));
        headers.set(X_FORWARDED_PROTO, proto);
        headers.set(X_FORWARDED_PORT, port);
        if (forwardedHost != null) {
            headers.set(X_FORWARDED_HOST, forwardedHost);
        }
        String element = client.forwardedElement(host);
        headers.set(FORWARDED, priorForwarded == null ? element : priorForwarded + ", " + element);
        return null;
    }

    /**
     * W3C Trace Context on the request's headers, for every request (refused ones too, for their {@code api.call}):
     * one valid {@code traceparent} is forwarded (a higher version as version 00), with the client's
     * {@code tracestate}; otherwise the request gets a new {@code traceparent} and no {@code tracestate} (the
     * specification's rule when a trace restarts). Returns the {@code traceparent} that goes upstream.
     */
    String trace(HttpHeaders headers) {
        String offered = headers.get(TRACEPARENT);
        String forwarded = offered == null || HeaderCount.of(headers, TRACEPARENT) != 1 ? null
                : io.tollgate.gateway.core.TraceContext.forward(offered);
        if (forwarded == null) {
            forwarded = io.tollgate.gateway.core.TraceContext.generate();
            headers.remove(TRACESTATE);
            headers.set(TRACEPARENT, forwarded);
        } else if (!forwarded.equals(offered)) {
            headers.set(TRACEPARENT, forwarded);
        }
        return forwarded;
    }

    /**
     * RFC 9112 §3.2.2: a server accepts the absolute-form ({@code GET http://api.example/x HTTP/1.1}); its authority
     * replaces the {@code Host} field (which HTTP/1.1 still requires, RFC 9112 §3.2), and the request goes on in
     * origin-form. Other forms (authority, asterisk, another scheme) are left for the path check, which refuses them.
     */
    private static Rejection toOriginForm(HttpRequest request, boolean http11) {
        String uri = request.uri();
        int start = uri.regionMatches(true, 0, "http://", 0, 7) ? 7 : uri.regionMatches(true, 0, "https://", 0, 8) ? 8 : -1;
        if (start < 0) {
            return null;
        }
        int end = start;
        while (end < uri.length() && uri.charAt(end) != '/' && uri.charAt(end) != '?') {
            end++;
        }
        String authority = uri.substring(start, end);
        if (!isHost(authority)) { // also refuses userinfo (RFC 9110 §4.2.4)
            return Rejection.badRequest("malformed authority in the request target");
        }
        if (http11 && !request.headers().contains(HttpHeaderNames.HOST)) {
            return Rejection.badRequest("HTTP/1.1 requires a Host header");
        }
        String rest = uri.substring(end);
        request.setUri(rest.isEmpty() || rest.charAt(0) == '?' ? "/" + rest : rest);
        request.headers().set(HttpHeaderNames.HOST, authority);
        return null;
    }

    private static boolean isFramingOrExpect(CharSequence name) {
        return HeaderFamilies.equalsNormalized(name, "content-length") || HeaderFamilies.equalsNormalized(name, "expect");
    }

    private static boolean isForwarded(CharSequence name) {
        return HeaderFamilies.startsWithNormalized(name, FORWARDED_PREFIX)
                || HeaderFamilies.equalsNormalized(name, "forwarded") || HeaderFamilies.equalsNormalized(name, "x-real-ip");
    }

    private static boolean isReserved(String name) {
        return isOneOf(name, RESERVED, true) || HeaderFamilies.startsWithNormalized(name, FORWARDED_PREFIX);
    }

    /** {@code name} equals one of {@code lowerNames}, case-insensitively; with {@code underscores}, {@code _} counts as {@code -}. */
    private static boolean isOneOf(CharSequence name, String[] lowerNames, boolean underscores) {
        for (String candidate : lowerNames) {
            if (candidate.length() == name.length() && (underscores ? HeaderFamilies.equalsNormalized(name, candidate)
                    : io.netty.util.AsciiString.contentEqualsIgnoreCase(name, candidate))) {
                return true;
            }
        }
        return false;
    }

    private static List<CharSequence> add(List<CharSequence> list, CharSequence name) {
        List<CharSequence> to = list == null ? new ArrayList<>(2) : list;
        to.add(name);
        return to;
    }

    /** The header's values; a header that is absent (the usual case) costs a lookup, no list. */
    private static List<String> all(HttpHeaders headers, CharSequence name) {
        return headers.contains(name) ? headers.getAll(name) : List.of();
    }

    private static String joined(List<String> values) {
        return values.isEmpty() ? null : String.join(", ", values);
    }

    private static String single(List<String> values) {
        return values.size() == 1 ? values.get(0).trim() : null;
    }

    /** RFC 9110 token (tchar). */
    static boolean isToken(CharSequence s) {
        return s.length() > 0 && Ascii.allIn(s, TCHAR);
    }

    /**
     * {@code uri-host [":" port]}: an IP literal in brackets, or letters, digits, {@code - . _ ~} (a DNS name or an
     * IPv4 address), at most 255 characters; nothing that could break out of a quoted {@code Forwarded} value.
     */
    static boolean isHost(String s) {
        if (s.isEmpty() || s.length() > 262) {
            return false;
        }
        int end;
        if (s.charAt(0) == '[') {
            end = s.indexOf(']');
            if (end < 2) {
                return false;
            }
            for (int i = 1; i < end; i++) {
                char c = s.charAt(i);
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.')) {
                    return false;
                }
            }
            end++;
        } else {
            end = 0;
            while (end < s.length() && s.charAt(end) != ':') {
                char c = s.charAt(end);
                if (!Ascii.in(HOST_CHARS, c)) {
                    return false;
                }
                end++;
            }
            if (end == 0 || end > 255) {
                return false;
            }
        }
        if (end == s.length()) {
            return true;
        }
        return s.charAt(end) == ':' && isPort(s, end + 1, s.length());
    }

    static boolean isPort(String s) {
        return isPort(s, 0, s.length());
    }

    /** Whether {@code s[from, to)} is 1-5 digits of at most 65535 (read in place: no substring per request). */
    private static boolean isPort(String s, int from, int to) {
        if (from == to || to - from > 5) {
            return false;
        }
        int port = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            port = port * 10 + (c - '0');
        }
        return port <= 65535;
    }

    private static int indexOf(CharSequence s, char c) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }
}
