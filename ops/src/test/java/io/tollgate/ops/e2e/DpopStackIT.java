package io.tollgate.ops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import io.tollgate.ops.stack.StackConfig;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.testkit.FreePorts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DPoP end to end on the real stack, with the Nimbus OAuth SDK's {@link DefaultDPoPProofFactory} and a P-256 key as
 * the client: a bound login and refresh at token-api, the bound token through the gateway with a proof per call, a
 * Bearer downgrade refused, and one proof accepted by only one of two gateway nodes (a second node is started on the
 * shared stack; both are addressed under one name, as behind a load balancer).
 */
@ExtendWith(SharedStack.class)
@Order(SharedStack.DPOP)
class DpopStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String USER = "erin";
    private static StackConfig config;
    private static int secondGateway;
    private static ECKey key;
    private static DPoPProofFactory proofs;

    @BeforeAll
    static void start() throws Exception {
        config = SharedStack.config();
        secondGateway = FreePorts.find();
        SharedStack.stack().startNode("gateway", "dpop-b", secondGateway, FreePorts.find());
        key = new ECKeyGenerator(Curve.P_256).generate();
        proofs = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
    }

    static URI tokenEndpoint() {
        return URI.create(config.issuer() + "/oauth2/token");
    }

    static HttpResponse<String> token(String form, String proof) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(tokenEndpoint()).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form + "&client_id=" + DemoRegistry.CLIENT_ID));
        if (proof != null) {
            request.header("DPoP", proof);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    static String tokenProof() throws Exception {
        return proofs.createDPoPJWT("POST", tokenEndpoint()).serialize();
    }

    static HttpResponse<String> gateway(int port, String scheme, String token, String proof) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + config.host + ":" + port
                        + "/mobile/profile?fields=all")).timeout(Duration.ofSeconds(20))
                .header("Authorization", scheme + " " + token).GET();
        if (proof != null) {
            request.header("DPoP", proof);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String proofFor(int port, String token) throws Exception {
        return proofs.createDPoPJWT("GET", URI.create("http://" + config.host + ":" + port + "/mobile/profile"),
                new DPoPAccessToken(token)).serialize();
    }

    @Test
    void aBoundTokenWorksWithAProofPerCallAndOnlyWithIt() throws Exception {
        JsonNode login = ok(token("grant_type=password&username=" + USER + "&password=" + USER + "-secret",
                tokenProof()));
        assertThat(login.get("token_type").asText()).isEqualTo("DPoP");
        String access = login.get("access_token").asText();
        Map<String, Object> cnf = SignedJWT.parse(access).getJWTClaimsSet().getJSONObjectClaim("cnf");
        assertThat(cnf).containsEntry("jkt", key.computeThumbprint().toString());

        int first = config.port("gateway");
        HttpResponse<String> answer = gateway(first, "DPoP", access, proofFor(first, access));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode seen = JSON.readTree(answer.body()).get("headers");
        assertThat(seen.has("dpop")).as("the proof is not forwarded").isFalse();
        assertThat(seen.get("x-authenticated-userid").asText()).isEqualTo(USER);
        HttpResponse<String> onSecond = gateway(secondGateway, "DPoP", access, proofFor(secondGateway, access));
        assertThat(onSecond.statusCode()).as(onSecond.body()).isEqualTo(200);

        HttpResponse<String> bearer = gateway(first, "Bearer", access, null);
        assertThat(bearer.statusCode()).isEqualTo(401);
        assertThat(bearer.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("DPoP ")
                .contains("invalid_token");
        HttpResponse<String> noProof = gateway(first, "DPoP", access, null);
        assertThat(noProof.statusCode()).isEqualTo(401);
        assertThat(noProof.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_dpop_proof");

        // the refresh token is bound too: useless without the key
        String refresh = "grant_type=refresh_token&refresh_token="
                + URLEncoder.encode(login.get("refresh_token").asText(), StandardCharsets.UTF_8);
        HttpResponse<String> stolen = token(refresh, null);
        assertThat(stolen.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(stolen.body()).get("error").asText()).isEqualTo("invalid_grant");
        JsonNode refreshed = ok(token(refresh, tokenProof()));
        assertThat(refreshed.get("token_type").asText()).isEqualTo("DPoP");
        String next = refreshed.get("access_token").asText();
        assertThat(gateway(first, "DPoP", next, proofFor(first, next)).statusCode()).isEqualTo(200);
    }

    @Test
    void aProofReplayedOnTheOtherGatewayNodeIsRefused() throws Exception {
        JsonNode login = ok(token("grant_type=password&username=" + USER + "&password=" + USER + "-secret",
                tokenProof()));
        String access = login.get("access_token").asText();
        String proof = proofs.createDPoPJWT("GET", URI.create("http://api.tollgate.test/mobile/profile"),
                new DPoPAccessToken(access)).serialize();
        assertThat(raw(config.port("gateway"), access, proof)).startsWith("HTTP/1.1 200");
        String replay = raw(secondGateway, access, proof);
        assertThat(replay).startsWith("HTTP/1.1 401").contains("invalid_dpop_proof").contains("already used");
    }

    /** A GET with {@code Host: api.tollgate.test} (one name for both nodes) over a raw socket; the whole answer. */
    static String raw(int port, String access, String proof) throws Exception {
        try (Socket socket = new Socket(config.host, port)) {
            socket.setSoTimeout(20_000);
            String request = "GET /mobile/profile HTTP/1.1\r\nHost: api.tollgate.test\r\nAuthorization: DPoP " + access
                    + "\r\nDPoP: " + proof + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
