package io.tollgate.gateway.proxy;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.tollgate.gateway.config.RouteConfig;
import io.tollgate.gateway.core.Rejection;
import io.tollgate.gateway.config.RouteDefaults;
import io.tollgate.gateway.core.RouteTable;
import io.tollgate.shared.net.TrustedProxies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The entrance on decoded requests: what it refuses, removes, keeps and sets. */
class InboundTest {
    private static final ClientConnection CLIENT = new ClientConnection("203.0.113.9", false, false, 8000);
    private static final ClientConnection PROXY = new ClientConnection("10.0.0.5", true, false, 8000);
    private final Inbound inbound = new Inbound(new RouteTable(List.of(route("/mobile/", List.of()),
            route("/hr/", List.of("X-User-*", "X-Tenant"))), new RouteDefaults()), new TrustedProxies(List.of("10.0.0.0/8")));
    private final RequestFraming framing = new RequestFraming();

    private static RouteConfig route(String prefix, List<String> families) {
        RouteConfig config = new RouteConfig();
        config.api = "mobile";
        config.pathPrefix = prefix;
        config.upstreams = List.of(URI.create("http://127.0.0.1:9000"));
        config.scopes = Map.of("*", "read");
        config.identityHeaderFamilies = families;
        return config;
    }

    private static HttpRequest request(String... headers) {
        return request(HttpVersion.HTTP_1_1, HttpMethod.GET, "/mobile/hello", headers);
    }

    private static HttpRequest request(HttpVersion version, HttpMethod method, String uri, String... headers) {
        HttpRequest request = new DefaultHttpRequest(version, method, uri, FieldList.FACTORY); // as decoded
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    private Rejection normalize(HttpRequest request) {
        return inbound.normalize(request, CLIENT, framing);
    }

    @Test
    void theIssuesSmugglingRequestIsRefused() {
        Rejection refusal = normalize(request("Host", "x", "Authorization", "Bearer a.b.c",
                "Connection", "keep-alive, Content-Length", "Content-Length", "125"));
        assertThat(refusal.status()).isEqualTo(400);
        assertThat(refusal.error()).isEqualTo("invalid_request");
    }

    @Test
    void aConnectionOptionNamingAnIdentityHeaderIsRefused() {
        assertThat(normalize(request("Host", "x", "Connection", "X-Authenticated-UserId, X-ApiPlan")).status())
                .isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Length", "transfer-encoding", "HOST", "Authorization", "Expect", "X-Request-Id",
        "Forwarded", "X-Forwarded-For", "x-forwarded-proto", "X-Forwarded-Host", "X-Forwarded-Port", "X-Real-IP",
        "X-Authenticated-Scope", "X-Consumer-Groups", "x_consumer_id", "X-Credential-Identifier",
        "X-Anonymous-Consumer", "x-apiplan", "Content_Length", "keep-alive, Host", "close,Authorization",
        "foo bar", "a\"b"})
    void connectionOptionsTheGatewayDependsOnOrMalformedAreRefused(String option) {
        Rejection refusal = normalize(request("Host", "x", "Connection", option));
        assertThat(refusal).isNotNull();
        assertThat(refusal.status()).isEqualTo(400);
    }

    @Test
    void aRoutesOwnFamiliesCannotBeNamedByConnectionEither() {
        assertThat(inbound.normalize(request(HttpVersion.HTTP_1_1, HttpMethod.GET, "/hr/x", "Host", "x",
                "Connection", "X-Tenant"), CLIENT, framing)).isNotNull();
        assertThat(inbound.normalize(request(HttpVersion.HTTP_1_1, HttpMethod.GET, "/mobile/x", "Host", "x",
                "Connection", "X-Tenant"), CLIENT, framing)).isNull();
    }

    @Test
    void hopByHopHeadersAndWhatConnectionNamesAreRemoved() {
        HttpRequest request = request("Host", "x", "Connection", "keep-alive, X-Private", "connection", "x-other",
                "X-PRIVATE", "secret", "X-Other", "1", "Keep-Alive", "timeout=5", "Proxy-Connection", "keep-alive",
                "Proxy-Authorization", "Basic Zm9vOmJhcg==", "TE", "trailers", "Trailer", "X-Checksum",
                "Upgrade", "h2c", "Tea", "kept", "Transfer_Encoding", "chunked", "Proxy_Connection", "x");
        assertThat(normalize(request)).isNull();
        assertThat(request.headers().names()).containsExactlyInAnyOrder("Host", "Tea", "X-Forwarded-For",
                "X-Real-IP", "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Host", "Forwarded");
        assertThat(framing.keepAlive).isTrue();
    }

    @Test
    void everyIdentityFamilyIsRemovedInAnyCaseWithUnderscoresAndDuplicates() {
        HttpRequest request = request("Host", "x", "X-Authenticated-UserId", "bob", "x-authenticated-userid", "eve",
                "X-AUTHENTICATED-SCOPE", "write", "X-Authenticated-Groups", "admin", "X-Consumer-ID", "1",
                "X-Consumer-Groups", "admins", "x_consumer_custom_id", "s", "X-Credential-Username", "u",
                "X_Credential_Identifier", "c", "X-Anonymous-Consumer", "false", "X-ApiPlan", "premium",
                "x_apiplan", "gold", "X-Consumer", "kept: not a family member", "X-ApiPlans", "kept",
                "X-User-Role", "kept: only the hr route owns X-User-*");
        assertThat(normalize(request)).isNull();
        assertThat(request.headers().names()).contains("X-Consumer", "X-ApiPlans", "X-User-Role")
                .noneMatch(n -> n.toLowerCase().replace('_', '-').matches(
                        "x-authenticated-.*|x-consumer-.*|x-credential-.*|x-anonymous-.*|x-apiplan"));
    }

    @Test
    void aRouteAddsFamiliesOfItsOwn() {
        HttpRequest request = request(HttpVersion.HTTP_1_1, HttpMethod.GET, "/hr/people", "Host", "x",
                "X-User-Role", "admin", "x_user_id", "7", "X-Tenant", "acme", "X-Tenants", "kept",
                "X-Consumer-ID", "1");
        assertThat(inbound.normalize(request, CLIENT, framing)).isNull();
        assertThat(request.headers().names()).contains("X-Tenants")
                .doesNotContain("X-User-Role", "x_user_id", "X-Tenant", "X-Consumer-ID");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip, chunked", "identity", "chunked, identity", "xchunked", "chunked;q=1", ""})
    void anyTransferEncodingButChunkedIsRefused(String encoding) {
        assertThat(normalize(request("Host", "x", "Transfer-Encoding", encoding)).status()).isEqualTo(400);
    }

    @Test
    void twoTransferEncodingFieldsAreRefused() {
        assertThat(normalize(request("Host", "x", "Transfer-Encoding", "chunked", "Transfer-Encoding", "chunked"))
                .status()).isEqualTo(400);
    }

    @Test
    void framingIsTheGatewaysAndTheClientsFramingHeadersAreGone() {
        HttpRequest chunked = request("Host", "x", "Transfer-Encoding", "Chunked");
        assertThat(normalize(chunked)).isNull();
        assertThat(framing.chunked).isTrue();
        assertThat(chunked.headers().contains("Transfer-Encoding")).isFalse();

        HttpRequest fixed = request("Host", "x", "Content-Length", "12", "Expect", "100-Continue");
        assertThat(normalize(fixed)).isNull();
        assertThat(framing.chunked).isFalse();
        assertThat(framing.contentLength).isEqualTo(12);
        assertThat(framing.expectContinue).isTrue();
        assertThat(fixed.headers().contains("Content-Length")).isFalse();
        assertThat(fixed.headers().contains("Expect")).isFalse();

        HttpRequest none = request("Host", "x");
        assertThat(normalize(none)).isNull();
        assertThat(framing.contentLength).isEqualTo(-1);
    }

    @Test
    void hostRules() {
        assertThat(normalize(request()).status()).isEqualTo(400);
        assertThat(normalize(request("Host", "a", "Host", "b")).status()).isEqualTo(400);
        for (String bad : List.of("", "a b", "a\"b", "x/y", "a:99999", "a:", "[::1", "a@b", "a,b")) {
            assertThat(normalize(request("Host", bad))).as(bad).isNotNull();
        }
        for (String good : List.of("api.example.com", "127.0.0.1:8000", "[::1]:8000", "[2001:db8::1]", "a_b.local")) {
            assertThat(normalize(request("Host", good))).as(good).isNull();
        }
        HttpRequest http10 = request(HttpVersion.HTTP_1_0, HttpMethod.GET, "/mobile/x", "Connection", "keep-alive");
        assertThat(normalize(http10)).isNull();
        assertThat(framing.keepAlive).isTrue();
        assertThat(normalize(request(HttpVersion.HTTP_1_0, HttpMethod.GET, "/mobile/x"))).isNull();
        assertThat(framing.keepAlive).isFalse();
    }

    @Test
    void anAbsoluteFormTargetBecomesOriginFormWithItsAuthorityAsHost() {
        HttpRequest request = request(HttpVersion.HTTP_1_1, HttpMethod.GET, "HTTP://api.example.com:8000/mobile/x?a=1",
                "Host", "evil.example", "Host", "other.example");
        assertThat(normalize(request)).isNull();
        assertThat(request.uri()).isEqualTo("/mobile/x?a=1");
        assertThat(request.headers().getAll("Host")).containsExactly("api.example.com:8000");
        assertThat(request.headers().get("X-Forwarded-Host")).isEqualTo("api.example.com:8000");

        assertThat(normalize(request(HttpVersion.HTTP_1_1, HttpMethod.GET, "http://api.example.com/x")))
                .as("HTTP/1.1 still needs a Host field").isNotNull();
        HttpRequest bare = request(HttpVersion.HTTP_1_0, HttpMethod.GET, "https://api.example.com?q");
        assertThat(normalize(bare)).isNull();
        assertThat(bare.uri()).isEqualTo("/?q");

        assertThat(normalize(request(HttpVersion.HTTP_1_1, HttpMethod.GET, "http://bob@api.example.com/x", "Host", "x")))
                .isNotNull();
        assertThat(normalize(request(HttpVersion.HTTP_1_1, HttpMethod.GET, "http:///x", "Host", "x"))).isNotNull();
        HttpRequest ftp = request(HttpVersion.HTTP_1_1, HttpMethod.GET, "ftp://api.example.com/x", "Host", "x");
        assertThat(normalize(ftp)).isNull(); // left for RequestSanityStep, which refuses a target not starting with /
        assertThat(ftp.uri()).isEqualTo("ftp://api.example.com/x");
    }

    @Test
    void onlyTheContinueExpectationAndNoTraceOrConnect() {
        assertThat(normalize(request("Host", "x", "Expect", "200-ok")).status()).isEqualTo(417);
        assertThat(normalize(request("Host", "x", "Expect", "100-continue", "Expect", "100-continue")).status())
                .isEqualTo(417);
        assertThat(normalize(request(HttpVersion.HTTP_1_1, HttpMethod.TRACE, "/mobile/x", "Host", "x")).status())
                .isEqualTo(405);
        assertThat(normalize(request(HttpVersion.HTTP_1_1, HttpMethod.CONNECT, "x:443", "Host", "x")).status())
                .isEqualTo(405);
        HttpRequest http10 = request(HttpVersion.HTTP_1_0, HttpMethod.POST, "/mobile/x", "Expect", "100-continue");
        assertThat(normalize(http10)).isNull();
        assertThat(framing.expectContinue).isFalse();
    }

    @Test
    void forwardedHeadersOfAnUntrustedClientAreReplaced() {
        HttpRequest request = request("Host", "api.example.com", "X-Forwarded-For", "10.9.8.7",
                "x-forwarded-for", "1.2.3.4", "X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "https",
                "X-Forwarded-Port", "443", "Forwarded", "for=10.9.8.7;proto=https", "X-Real-IP", "10.9.8.7",
                "X_Forwarded_For", "6.6.6.6", "X-Forwarded-Prefix", "/admin");
        assertThat(normalize(request)).isNull();
        var h = request.headers();
        assertThat(h.getAll("X-Forwarded-For")).containsExactly("203.0.113.9");
        assertThat(h.getAll("X-Real-IP")).containsExactly("203.0.113.9");
        assertThat(h.getAll("X-Forwarded-Host")).containsExactly("api.example.com");
        assertThat(h.getAll("X-Forwarded-Proto")).containsExactly("http");
        assertThat(h.getAll("X-Forwarded-Port")).containsExactly("8000");
        assertThat(h.getAll("Forwarded")).containsExactly("for=203.0.113.9;host=\"api.example.com\";proto=http");
        assertThat(h.contains("X_Forwarded_For")).isFalse();
        assertThat(h.contains("X-Forwarded-Prefix")).isFalse();
    }

    @Test
    void aTrustedProxysForwardedHeadersAreAppendedTo() {
        HttpRequest request = request("Host", "api.example.com", "X-Forwarded-For", "198.51.100.7, 10.1.1.1",
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "shop.example.com", "X-Forwarded-Port", "443",
                "Forwarded", "for=198.51.100.7;proto=https", "X-Real-IP", "1.1.1.1", "X_Forwarded_For", "6.6.6.6");
        assertThat(inbound.normalize(request, PROXY, framing)).isNull();
        var h = request.headers();
        assertThat(h.getAll("X-Forwarded-For")).containsExactly("198.51.100.7, 10.1.1.1, 10.0.0.5");
        assertThat(h.getAll("X-Real-IP")).containsExactly("198.51.100.7");
        assertThat(h.getAll("X-Forwarded-Proto")).containsExactly("https");
        assertThat(h.getAll("X-Forwarded-Host")).containsExactly("shop.example.com");
        assertThat(h.getAll("X-Forwarded-Port")).containsExactly("443");
        assertThat(h.getAll("Forwarded")).containsExactly(
                "for=198.51.100.7;proto=https, for=10.0.0.5;host=\"api.example.com\";proto=http");
        assertThat(h.contains("X_Forwarded_For")).isFalse();
    }

    @Test
    void aTlsListenerForwardsHttps() {
        HttpRequest request = request("Host", "x");
        assertThat(inbound.normalize(request, new ClientConnection("::1", false, true, 8443), framing)).isNull();
        assertThat(request.headers().get("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(request.headers().get("Forwarded")).isEqualTo("for=\"[::1]\";host=\"x\";proto=https");
    }

    @Test
    void trustedProxyBlocks() {
        TrustedProxies trusted = new TrustedProxies(List.of("10.0.0.0/8", "192.168.1.128/25", "fd00::/8", "127.0.0.1"));
        assertThat(trusted.contains("10.255.0.1")).isTrue();
        assertThat(trusted.contains("11.0.0.1")).isFalse();
        assertThat(trusted.contains("192.168.1.200")).isTrue();
        assertThat(trusted.contains("192.168.1.100")).isFalse();
        assertThat(trusted.contains("fd12::1")).isTrue();
        assertThat(trusted.contains("fe80::1")).isFalse();
        assertThat(trusted.contains("127.0.0.1")).isTrue();
        assertThat(trusted.contains("::ffff:10.1.2.3")).isTrue();
        assertThat(trusted.contains("localhost")).isFalse();
        for (String bad : List.of("10.0.0.0/33", "example.com", "10.0.0/8", "10.0.0.0/x", "1.2.3.256")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TrustedProxies(List.of(bad)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
