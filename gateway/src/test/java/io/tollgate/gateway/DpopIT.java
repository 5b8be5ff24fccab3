package io.tollgate.gateway;

import io.tollgate.gateway.testing.DpopKeys;
import io.tollgate.gateway.testing.GatewayFixture;
import io.tollgate.gateway.testing.TestIssuer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;

import static io.tollgate.gateway.testing.Gateways.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DPoP-bound tokens (RFC 9449 §7) through two gateway nodes sharing one real Redis: a valid proof is accepted once
 * by any node, every wrong proof is a 401 with a DPoP challenge, and the upstream receives nothing on a refusal
 * and never the proof.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DpopIT {
    @RegisterExtension
    static final GatewayFixture FIXTURE = GatewayFixture.nodes("dpop-1", "dpop-2");

    private static int user;

    /** A user of its own per call (the demo plan allows 60 calls a minute per user). */
    static String user() {
        return "dpop-user-" + (++user);
    }

    static String url(GatewayServer node, String path) {
        return "http://127.0.0.1:" + node.port() + path;
    }

    static HttpResponse<String> call(GatewayServer node, String method, String path, String authorization,
                                     String... headers) throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = authorization;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return send(node, method, path, null, all);
    }

    static void assertDpopRefusal(HttpResponse<String> response, String error, String description) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
        assertThat(challenge).startsWith("DPoP ").contains("error=\"" + error + "\"")
                .contains("algs=\"ES256 EdDSA\"");
        assertThat(response.body()).contains("\"error\":\"" + error + "\"").contains(description);
        assertThat(FIXTURE.upstream().count()).as("the upstream receives nothing on a refusal").isZero();
    }

    @Test
    @Order(1)
    void aValidProofIsAcceptedAndNeitherItNorTheSchemeReachTheUpstream() throws Exception {
        DpopKeys key = new DpopKeys();
        String token = key.boundToken(FIXTURE.issuer(), user(), "read write");
        HttpResponse<String> ok = call(FIXTURE.node(0), "GET", "/mobile/a?page=2", "DPoP " + token,
                "DPoP", key.proof("GET", url(FIXTURE.node(0), "/mobile/a"), token));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(FIXTURE.upstream().last().header("dpop")).isNull();
        assertThat(FIXTURE.upstream().last().header("authorization")).isNull();

        // a route that forwards Authorization still never forwards the proof
        HttpResponse<String> forwarded = call(FIXTURE.node(1), "GET", "/mobile-fwd/b", "DPoP " + token,
                "DPoP", key.proof("GET", url(FIXTURE.node(1), "/mobile-fwd/b"), token));
        assertThat(forwarded.statusCode()).as(forwarded.body()).isEqualTo(200);
        assertThat(FIXTURE.upstream().last().header("authorization")).isEqualTo("DPoP " + token);
        assertThat(FIXTURE.upstream().last().header("dpop")).isNull();
    }

    @Test
    @Order(2)
    void aWrongMethodUriTokenHashKeyOrAgeIsRefused() throws Exception {
        DpopKeys key = new DpopKeys();
        String token = key.boundToken(FIXTURE.issuer(), user(), "read");
        String url = url(FIXTURE.node(0), "/mobile/a");
        assertDpopRefusal(call(FIXTURE.node(0), "GET", "/mobile/a", "DPoP " + token,
                "DPoP", key.proof("POST", url, token)), "invalid_dpop_proof", "htm");
        assertDpopRefusal(call(FIXTURE.node(0), "GET", "/mobile/a", "DPoP " + token,
                "DPoP", key.proof("GET", url(FIXTURE.node(0), "/mobile/b"), token)), "invalid_dpop_proof", "htu");
        assertDpopRefusal(call(FIXTURE.node(0), "GET", "/mobile/a", "DPoP " + token,
                "DPoP", key.proof("GET", url(FIXTURE.node(1), "/mobile/a"), token)), "invalid_dpop_proof", "htu");
        assertDpopRefusal(call(FIXTURE.node(0), "GET", "/mobile/a", "DPoP " + token,
                "DPoP", key.proof("GET", "https://127.0.0.1:" + FIXTURE.node(0).port() + "/mobile/a", token)),
                "invalid_dpop_proof", "htu");
        String other = key.boundToken(FIXTURE.issuer(), user(), "read");
        assertDpopRefusal(call(FIXTURE.node(0), "GET", "/mobile/a", "DPoP " + token,
                "DPoP", key.proof("GET", url, other)), "invalid_dpop_proof", "ath");
        assertDpopRefusal(call(FIXTURE.node(0), "GET", "/mobile/a", "DPoP " + token,
                "DPoP", key.proof("GET", url, token, System.currentTimeMillis() / 1000 - 120)),
                "invalid_dpop_proof", "too old");
        assertDpopRefusal(call(FIXTURE.node(0), "GET", "/mobile/a", "DPoP " + token,
                "DPoP", new DpopKeys().proof("GET", url, token)), "invalid_dpop_proof", "bound to");
        assertDpopRefusal(call(FIXTURE.node(0), "GET", "/mobile/a", "DPoP " + token), "invalid_dpop_proof", "required");
        assertDpopRefusal(call(FIXTURE.node(0), "GET", "/mobile/a", "DPoP " + token,
                "DPoP", key.proof("GET", url, token), "DPoP", key.proof("GET", url, token)),
                "invalid_dpop_proof", "more than one");
    }

    @Test
    @Order(3)
    void aProofIsAcceptedOnceByAnyNode() throws Exception {
        DpopKeys key = new DpopKeys();
        String token = key.boundToken(FIXTURE.issuer(), user(), "read");
        // both nodes behind one name, as behind a load balancer: the same htu is right for either
        String proof = key.proof("GET", "http://api.tollgate.test/mobile/a", token);
        assertThat(raw(FIXTURE.node(0), "api.tollgate.test", "/mobile/a", "DPoP " + token,
                proof)).startsWith("HTTP/1.1 200");
        assertThat(FIXTURE.upstream().count()).isEqualTo(1);
        FIXTURE.upstream().clear();
        String again = raw(FIXTURE.node(1), "api.tollgate.test", "/mobile/a", "DPoP " + token, proof);
        assertThat(again).startsWith("HTTP/1.1 401").contains("invalid_dpop_proof").contains("already used");
        assertThat(raw(FIXTURE.node(0), "api.tollgate.test", "/mobile/a", "DPoP " + token,
                proof)).startsWith("HTTP/1.1 401");
        assertThat(FIXTURE.upstream().count()).isZero();
        // the Host decides htu: the same request under another name does not match
        String fresh = key.proof("GET", "http://api.tollgate.test/mobile/a", token);
        assertThat(raw(FIXTURE.node(1), "other.tollgate.test", "/mobile/a", "DPoP " + token, fresh))
                .startsWith("HTTP/1.1 401").contains("htu");
    }

    /** One request over a raw socket, with a Host of our choosing; the whole answer as text. */
    static String raw(GatewayServer node, String host, String path, String authorization, String proof)
            throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", node.port())) {
            socket.setSoTimeout(10_000);
            String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + authorization
                    + "\r\nDPoP: " + proof + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    @Order(4)
    void aBoundTokenAsBearerIsRefusedAndABearerTokenIsNeverDpop() throws Exception {
        DpopKeys key = new DpopKeys();
        String bound = key.boundToken(FIXTURE.issuer(), user(), "read");
        String url = url(FIXTURE.node(0), "/mobile/a");
        assertDpopRefusal(call(FIXTURE.node(0), "GET", "/mobile/a", "Bearer " + bound,
                "DPoP", key.proof("GET", url, bound)), "invalid_token", "DPoP scheme");
        assertDpopRefusal(call(FIXTURE.node(0), "GET", "/mobile/a", "Bearer " + bound), "invalid_token", "DPoP scheme");

        String bearer = FIXTURE.issuer().token(user(), "read");
        assertDpopRefusal(call(FIXTURE.node(0), "GET", "/mobile/a", "DPoP " + bearer,
                "DPoP", key.proof("GET", url, bearer)), "invalid_token", "not DPoP-bound");
        // a bearer token with a stray proof is processed as Bearer (RFC 9449 §7.2); the proof is not forwarded
        HttpResponse<String> ok = call(FIXTURE.node(0), "GET", "/mobile/a", "Bearer " + bearer,
                "DPoP", key.proof("GET", url, bearer));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(FIXTURE.upstream().last().header("dpop")).isNull();
    }

    @Test
    @Order(5)
    void aConfirmationMethodTheGatewayCannotCheckIsRefused() throws Exception {
        String token = FIXTURE.issuer().sign(TestIssuer.claims(user(), "read")
                .claim("cnf", java.util.Map.of("x5t#S256", "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2")).build());
        HttpResponse<String> response = call(FIXTURE.node(0), "GET", "/mobile/a", "Bearer " + token);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("confirmation method");
        assertThat(FIXTURE.upstream().count()).isZero();
    }

    @Test
    @Order(99)
    void withoutRedisTheReplayCheckCannotBeMadeAnd503IsAnswered() throws Exception {
        DpopKeys key = new DpopKeys();
        String token = key.boundToken(FIXTURE.issuer(), user(), "read");
        FIXTURE.redis().server().kill();
        HttpResponse<String> response = call(FIXTURE.node(0), "GET", "/mobile/a", "DPoP " + token,
                "DPoP", key.proof("GET", url(FIXTURE.node(0), "/mobile/a"), token));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.body()).contains("DPoP replay check");
        assertThat(FIXTURE.upstream().count()).isZero();
    }
}
