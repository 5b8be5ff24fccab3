package io.tollgate.gateway.fuzz;

import io.tollgate.testkit.hostile.RawHttp;
import io.tollgate.testkit.hostile.JwtAttacks;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import io.tollgate.gateway.GatewayConfiguration;
import io.tollgate.gateway.GatewayServer;
import io.tollgate.gateway.testing.Gateways;
import io.tollgate.gateway.testing.RecordingUpstream;
import io.tollgate.gateway.testing.TestIssuer;
import io.tollgate.testkit.KafkaExtension;
import io.tollgate.testkit.RedisExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JWT attack corpus against one gateway whose issuer publishes an EC, an RSA and an Ed25519 key (and an X25519
 * key, which the gateway drops: it does not sign): every attack, built on each of the three, is a 401
 * invalid_token (or a 400 for what is not even bearer syntax) and the upstream receives nothing; an attacker's
 * JWKS, named by jku/x5u, is never fetched. Genuine EC, RSA and Ed25519 tokens pass (the controls), each with
 * its own key's algorithm.
 */
class JwtAttackCorpusIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.shared();
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    static ECKey ec;
    static RSAKey rsa;
    static OctetKeyPair ed;
    static OctetKeyPair x25519;
    static HttpServer jwks;
    static HttpServer attacker;
    static final AtomicInteger ATTACKER_FETCHES = new AtomicInteger();
    static TestIssuer unused;
    static RecordingUpstream upstream;
    static GatewayServer gateway;

    static HttpServer serve(Supplier<String> body, AtomicInteger hits) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(bytes);
            }
        });
        server.start();
        return server;
    }

    @BeforeAll
    static void start() throws Exception {
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ed = new OctetKeyPairGenerator(Curve.Ed25519).keyID("ed-1").generate();
        x25519 = new OctetKeyPairGenerator(Curve.X25519).keyID("x25519-1").generate();
        jwks = serve(() -> new JWKSet(List.of(ec.toPublicJWK(), rsa.toPublicJWK(), ed.toPublicJWK(),
                x25519.toPublicJWK())).toString(), new AtomicInteger());
        unused = new TestIssuer();
        upstream = new RecordingUpstream();
        Gateways.prepare(KAFKA, REDIS);
        GatewayConfiguration config = Gateways.config("jwt-attacks", KAFKA, REDIS, unused, upstream.uri());
        config.tokens.jwksUrl = URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/oauth2/jwks");
        gateway = Gateways.start(config);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.stop();
        }
        upstream.close();
        unused.close();
        jwks.stop(0);
        if (attacker != null) {
            attacker.stop(0);
        }
    }

    static RawHttp.Answer call(String token, int id) {
        String request = "GET /mobile/items/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: attack-" + id
                + "\r\nAuthorization: Bearer " + token + "\r\nConnection: close\r\n\r\n";
        boolean narrow = request.chars().allMatch(c -> c < 256);
        return RawHttp.send(gateway.port(), request.getBytes(narrow ? StandardCharsets.ISO_8859_1
                : StandardCharsets.UTF_8), 10_000);
    }

    @Test
    void everyAttackIsRefusedAndNeverReachesTheUpstream() throws Exception {
        List<JwtAttacks.Attack> attacks = new ArrayList<>();
        List<JWK> published = List.of(ec, rsa, ed, x25519);
        for (JWK real : List.of(ec, rsa, ed)) {
            JwtAttacks corpus = new JwtAttacks(real, published, TestIssuer.claims("victim", "read").build(),
                    URI.create("http://127.0.0.1:1/placeholder"));
            if (attacker == null) {
                attacker = serve(() -> new JWKSet(List.of(corpus.foreignEc().toPublicJWK(),
                        corpus.foreignRsa().toPublicJWK())).toString(), ATTACKER_FETCHES);
            }
            URI attackerUri = URI.create("http://127.0.0.1:" + attacker.getAddress().getPort() + "/jwks.json");
            JwtAttacks withAttacker = new JwtAttacks(real, published, TestIssuer.claims("victim", "read").build(),
                    attackerUri);
            for (JwtAttacks.Attack a : withAttacker.build()) {
                attacks.add(new JwtAttacks.Attack(real.getKeyType() + " issuer: " + a.name(), a.token(), a.malformed()));
            }
        }
        upstream.clear();
        Map<String, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < attacks.size(); i++) {
            JwtAttacks.Attack attack = attacks.get(i);
            RawHttp.Answer a = call(attack.token(), i);
            statuses.merge(Integer.toString(a.status()), 1, Integer::sum);
            String challenge = a.header("www-authenticate");
            boolean refused = a.status() == 401 && challenge != null && challenge.startsWith("Bearer")
                    && challenge.contains("error=\"invalid_token\"");
            boolean malformedRefused = attack.malformed() && (a.status() == 400 || a.status() == 431);
            if (!refused && !malformedRefused) {
                failures.add(attack.name() + " -> " + a.status() + " " + challenge + " " + a.body());
            }
            if (a.body().contains("Exception") || a.body().contains(attack.token())) {
                failures.add(attack.name() + " -> stack trace or reflected token");
            }
        }
        System.out.printf("gateway JWT corpus: %d attacks, statuses %s, %d ms, upstream received %d, attacker JWKS "
                + "fetched %d times%n", attacks.size(), statuses, (System.nanoTime() - started) / 1_000_000,
                upstream.count(), ATTACKER_FETCHES.get());
        assertThat(failures).isEmpty();
        assertThat(upstream.received()).isEmpty();
        assertThat(ATTACKER_FETCHES.get()).isZero();
        assertThat(attacks).hasSizeGreaterThan(150);

        // controls: the same gateway admits genuine tokens of the three signing keys it was given
        for (JWK real : List.of(ec, rsa, ed)) {
            String genuine = JwtAttacks.sign(new com.nimbusds.jose.JWSHeader.Builder(JwtAttacks.algorithm(real))
                    .keyID(real.getKeyID()).type(new com.nimbusds.jose.JOSEObjectType("at+jwt")).build(),
                    TestIssuer.claims("control-" + real.getKeyType(), "read").build(), real);
            assertThat(call(genuine, 100_000).status()).as(real.getKeyType().toString()).isEqualTo(200);
        }
        assertThat(upstream.count()).isEqualTo(3);
    }
}
