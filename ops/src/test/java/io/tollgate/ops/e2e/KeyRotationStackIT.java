package io.tollgate.ops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.tollgate.cli.TollgateCli;
import io.tollgate.ops.stack.StackConfig;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.keys.KeySetFile;
import io.tollgate.testkit.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A signing-key rotation with {@code tollgate keys} on the real stack: two token-api nodes read one key set file
 * (the stack's token-api and a second node started here, as two hosts given the same file), a real gateway verifies
 * tokens from both all along. generate + publish: both JWKS serve both keys and tokens are still signed by the old
 * one; promote: new tokens are signed by the new key and tokens of the old key still pass the gateway; retire
 * (refused while the old key's tokens live, then forced): the JWKS drops it. A client calling the gateway with the
 * old and the newest token (a user's and a client's) the whole time gets no 401. The rotation changes the algorithm
 * too: from the stack's EdDSA key to an RS256 one (MultiHostIT rotates from RS256 to EdDSA), so the gateway holds
 * keys of both algorithms and checks each token with its own key's.
 */
@ExtendWith(SharedStack.class)
@Order(SharedStack.KEY_ROTATION)
class KeyRotationStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String USER = "erin";
    /** How long the key file change may take to reach a node (it polls every 2 s) before the test gives up. */
    private static final Duration PROPAGATION = Duration.ofSeconds(60);
    private static StackConfig config;
    private static Path keyFile;
    private static String nodeA;
    private static String nodeB;

    @BeforeAll
    static void start() throws Exception {
        config = SharedStack.config();
        keyFile = config.dataDir().resolve("token-api").resolve("jwks.json");
        int port = FreePorts.find();
        SharedStack.stack().startNode("token-api", "keys-b", port, FreePorts.find());
        nodeA = config.issuer();
        nodeB = "http://" + config.host + ":" + port;
    }

    @AfterAll
    static void stopSecondNode() {
        SharedStack.stack().kill("token-api-keys-b");
    }

    @Test
    void aKeyIsPublishedThenSignsWhileTheGatewayAcceptsEveryValidToken() throws Exception {
        String oldKid = KeySetFile.read(keyFile).active().orElseThrow().kid();
        // One user login per key: the basic plan keeps 3 devices (families) per user, and a 4th login would end
        // the oldest. The nodes' signing key is watched with client tokens (client credentials: no family).
        String oldToken = login(nodeA);
        assertThat(kid(oldToken)).isEqualTo(oldKid);
        assertThat(alg(oldToken)).as("the local stack's key").isEqualTo("EdDSA");
        String oldClientToken = clientToken(nodeB);
        assertThat(kid(oldClientToken)).as("both nodes sign with the same key").isEqualTo(oldKid);

        AtomicReference<String> newest = new AtomicReference<>(oldClientToken);
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<String> refused = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread client = new Thread(() -> {
            // Under the basic plan's 60 calls a minute: a 429 would not be about keys.
            int call = 0;
            while (running.get()) {
                String token = List.of(oldToken, oldClientToken, newest.get()).get(call++ % 3);
                try {
                    HttpResponse<String> answer = gateway(token);
                    statuses.merge(answer.statusCode(), 1, Integer::sum);
                    if (answer.statusCode() == 401) {
                        refused.add(kid(token) + ": " + answer.headers().firstValue("WWW-Authenticate").orElse(""));
                    }
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    statuses.merge(-1, 1, Integer::sum);
                }
            }
        }, "rotation-client");
        client.start();
        try {
            String newKid = cli("keys", "generate", "--alg", "RS256", "--publish").trim();
            await("both nodes publish " + newKid, () -> serves(nodeA, newKid) && serves(nodeB, newKid));
            assertThat(publishedKids(nodeA)).containsExactlyInAnyOrder(oldKid, newKid);
            assertThat(publishedKids(nodeB)).containsExactlyInAnyOrder(oldKid, newKid);
            assertThat(kid(clientToken(nodeA))).as("a published key does not sign yet").isEqualTo(oldKid);
            assertThat(kid(clientToken(nodeB))).isEqualTo(oldKid);

            // The stack's gateway refreshes its JWKS every 5 min, too long for a test: the nodes' JWKS are checked
            // instead, and the gateway fetches the new key on its first token (a kid it does not know).
            // --min-published 5s: wait out what is left of it (the nodes may serve the key sooner), or it refuses.
            java.time.Instant promotable = KeySetFile.read(keyFile).get(newKid).published().plusSeconds(5);
            Thread.sleep(Math.max(0, Duration.between(java.time.Instant.now(), promotable).toMillis() + 100));
            cli("keys", "promote", newKid, "--min-published", "5s", "--jwks-url", nodeA + "/oauth2/jwks",
                    "--jwks-url", nodeB + "/oauth2/jwks");
            await("both nodes sign with " + newKid, () -> kid(clientToken(nodeA)).equals(newKid)
                    && kid(clientToken(nodeB)).equals(newKid));
            String byA = login(nodeA);
            String byB = clientToken(nodeB);
            assertThat(kid(byA)).isEqualTo(newKid);
            assertThat(kid(byB)).isEqualTo(newKid);
            assertThat(alg(byA)).isEqualTo("RS256");
            newest.set(byA);
            assertThat(gateway(byA).statusCode()).as("a user token of the new key").isEqualTo(200);
            assertThat(gateway(byB).statusCode()).as("a client token of the new key").isEqualTo(200);
            assertThat(gateway(oldToken).statusCode()).as("a token of the old key, still valid").isEqualTo(200);
            assertThat(gateway(oldClientToken).statusCode()).isEqualTo(200);
            Thread.sleep(6_000); // a few more calls of the client with both keys' tokens
            newest.set(byB);
            Thread.sleep(3_000);

            Result early = run("keys", "retire", oldKid);
            assertThat(early.code()).as(early.out()).isEqualTo(1);
            assertThat(early.err()).contains("tokens it signed may be valid until");
        } finally {
            running.set(false);
            client.interrupt();
            client.join(10_000);
        }
        assertThat(refused).as("401s for valid tokens during the rotation; statuses " + statuses).isEmpty();
        assertThat(statuses.getOrDefault(200, 0)).as("calls answered 200: " + statuses).isGreaterThanOrEqualTo(5);

        cli("keys", "retire", oldKid, "--force");
        await("both nodes drop " + oldKid, () -> !serves(nodeA, oldKid) && !serves(nodeB, oldKid));
        assertThat(KeySetFile.read(keyFile).keys()).hasSize(1);
    }

    record Result(int code, String out, String err) {
    }

    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = TollgateCli.commandLine(Map.of("TOLLGATE_KEYS_FILE", keyFile.toString()), null);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    static String cli(String... args) {
        Result result = run(args);
        assertThat(result.code()).as(String.join(" ", args) + ": " + result.err()).isZero();
        return result.out();
    }

    static String login(String node) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(node + "/oauth2/token"))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username=" + USER + "&password="
                        + USER + "-secret&client_id=" + DemoRegistry.CLIENT_ID)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        return body.get("access_token").asText();
    }

    /** A client token of the demo service client (client credentials grant). */
    static String clientToken(String node) throws Exception {
        String basic = java.util.Base64.getEncoder().encodeToString((DemoRegistry.SERVICE_CLIENT_ID + ":"
                + DemoRegistry.SERVICE_CLIENT_SECRET).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(node + "/oauth2/token"))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("access_token").asText();
    }

    static String kid(String token) {
        try {
            return SignedJWT.parse(token).getHeader().getKeyID();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    static String alg(String token) {
        try {
            return SignedJWT.parse(token).getHeader().getAlgorithm().getName();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    static HttpResponse<String> gateway(String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + config.host + ":" + config.port("gateway")
                        + "/mobile/profile")).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static List<String> publishedKids(String node) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(node + "/oauth2/jwks"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        JWKSet set = JWKSet.parse(response.body());
        assertThat(set.getKeys()).allSatisfy(k -> assertThat(k.isPrivate()).isFalse());
        return set.getKeys().stream().map(JWK::getKeyID).toList();
    }

    static boolean serves(String node, String kid) {
        try {
            return publishedKids(node).contains(kid);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Polls until {@code condition} holds; fails after {@link #PROPAGATION} (a bound, not a measured time). */
    static void await(String what, Check condition) throws Exception {
        long deadline = System.nanoTime() + PROPAGATION.toNanos();
        while (!condition.holds()) {
            assertThat(System.nanoTime()).as("waited " + PROPAGATION + " for: " + what).isLessThan(deadline);
            Thread.sleep(500);
        }
    }
}
