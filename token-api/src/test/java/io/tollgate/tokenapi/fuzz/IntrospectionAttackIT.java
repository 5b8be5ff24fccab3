package io.tollgate.tokenapi.fuzz;

import io.tollgate.testkit.hostile.RawHttp;
import io.tollgate.testkit.hostile.JwtAttacks;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.tokenapi.TokenApiTestStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JWT attack corpus (see {@link JwtAttacks}) against RFC 7662 introspection, built on token-api's own
 * signing key (read from its key file) and a genuine token: every attack is {@code {"active":false}} (or a
 * 400 for a body over the size limit); the genuine token is active; an attacker's jku/x5u is never fetched.
 */
class IntrospectionAttackIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final AtomicInteger ATTACKER_FETCHES = new AtomicInteger();

    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("introspection-attacks").build();

    static HttpServer attacker;

    @AfterAll
    static void stop() {
        if (attacker != null) {
            attacker.stop(0);
        }
    }

    static RawHttp.Answer post(String path, String form, String authorization) {
        byte[] body = form.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        byte[] raw = new byte[head.length() + body.length];
        System.arraycopy(head.getBytes(StandardCharsets.ISO_8859_1), 0, raw, 0, head.length());
        System.arraycopy(body, 0, raw, head.length(), body.length);
        return RawHttp.send(STACK.port(), raw, 15_000);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static RawHttp.Answer introspect(String token) {
        return post("/oauth2/introspect", "token=" + enc(token), "Basic " + Base64.getEncoder()
                .encodeToString("gateway:gateway-secret".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void everyAttackIsInactive() throws Exception {
        RawHttp.Answer login = post("/oauth2/token", "grant_type=password&client_id=" + DemoRegistry.CLIENT_ID
                + "&username=alice&password=alice-secret", null);
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        String genuine = JSON.readTree(login.body()).get("access_token").asText();
        JWTClaimsSet claims = SignedJWT.parse(genuine).getJWTClaimsSet();
        JWKSet keys = JWKSet.load(STACK.keysFile().toFile());
        JWK signing = keys.getKeyByKeyId(SignedJWT.parse(genuine).getHeader().getKeyID());
        assertThat(signing.isPrivate()).isTrue();

        attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        attacker.createContext("/", exchange -> {
            ATTACKER_FETCHES.incrementAndGet();
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        attacker.start();
        URI attackerUri = URI.create("http://127.0.0.1:" + attacker.getAddress().getPort() + "/jwks.json");
        List<JWK> published = keys.getKeys().stream().map(JWK::toPublicJWK).toList();
        List<JwtAttacks.Attack> attacks = new JwtAttacks(signing, published, claims, attackerUri).build();

        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        for (JwtAttacks.Attack attack : attacks) {
            RawHttp.Answer a = introspect(attack.token());
            String outcome;
            if (a.status() == 200) {
                JsonNode json = JSON.readTree(a.body());
                outcome = "200 active=" + json.path("active").asText();
                if (attack.name().equals("wrong audience")) {
                    // RFC 7662 leaves aud to the resource server: the token is token-api's own (its key signed
                    // it), so it is active and its aud is reported; the gateway refuses it (JwtAttackCorpusIT).
                    if (!json.path("aud").toString().equals("[\"other-api\"]")) {
                        failures.add(attack.name() + " -> aud not reported: " + a.body());
                    }
                } else if (!json.path("active").isBoolean() || json.path("active").asBoolean() || json.size() != 1) {
                    failures.add(attack.name() + " -> " + a.body());
                }
            } else {
                outcome = Integer.toString(a.status());
                if (!(attack.malformed() && a.status() == 400)) {
                    failures.add(attack.name() + " -> " + a.status() + " " + a.body());
                }
            }
            if (a.body().contains("Exception") || a.body().contains(attack.token())) {
                failures.add(attack.name() + " -> stack trace or reflected token");
            }
            outcomes.merge(outcome, 1, Integer::sum);
        }
        System.out.printf("introspection JWT corpus: %d attacks, outcomes %s, %d ms, attacker fetched %d times%n",
                attacks.size(), outcomes, (System.nanoTime() - started) / 1_000_000, ATTACKER_FETCHES.get());
        assertThat(failures).isEmpty();
        assertThat(ATTACKER_FETCHES.get()).isZero();
        assertThat(attacks).hasSizeGreaterThan(100);

        // the control: the genuine token is active
        JsonNode control = JSON.readTree(introspect(genuine).body());
        assertThat(control.get("active").asBoolean()).isTrue();
        assertThat(control.get("sub").asText()).isEqualTo("alice");
    }
}
