package io.tollgate.gateway.testing;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A test key (ES256) served from a tiny JWKS endpoint, and a signer of RFC 9068 access tokens. */
public final class TestIssuer implements AutoCloseable {
    public static final String ISSUER = "http://127.0.0.1:8080";
    public static final String KID = "test-key-1";

    private final ECKey key;
    private volatile ECKey rotated;
    private final HttpServer server;
    private final AtomicInteger fetches = new AtomicInteger();
    /** While set, each fetch counts {@code started} down and then waits for {@code release}. */
    private volatile CountDownLatch[] held;

    public TestIssuer() throws Exception {
        key = new ECKeyGenerator(Curve.P_256).keyID(KID).generate();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/oauth2/jwks", exchange -> {
            fetches.incrementAndGet();
            CountDownLatch[] gate = held;
            if (gate != null) {
                gate[0].countDown();
                try {
                    gate[1].await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ECKey second = rotated;
            JWKSet set = second == null ? new JWKSet(key.toPublicJWK())
                    : new JWKSet(List.of(key.toPublicJWK(), second.toPublicJWK()));
            byte[] body = set.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
    }

    public URI jwksUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/oauth2/jwks");
    }

    public ECKey key() {
        return key;
    }

    /** Publishes a second key (rotation) and returns it; tokens signed with it name its kid. */
    public ECKey rotate(String kid) throws Exception {
        rotated = new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        return rotated;
    }

    /**
     * Holds every fetch from now on until {@code release} is counted down: the JWKS endpoint is slow. The returned
     * latch is counted down when a held fetch has begun.
     */
    public CountDownLatch holdFetches(CountDownLatch release) {
        CountDownLatch started = new CountDownLatch(1);
        held = new CountDownLatch[] {started, release};
        return started;
    }

    public int fetches() {
        return fetches.get();
    }

    /** Claims of a valid token for {@code user} of client demo-mobile, API mobile, issued now. */
    public static JWTClaimsSet.Builder claims(String user, String scope) {
        long now = System.currentTimeMillis() / 1000;
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(user)
                .audience(List.of("mobile"))
                .claim("client_id", "demo-mobile")
                .claim("scope", scope)
                .issueTime(new Date(now * 1000))
                .expirationTime(new Date((now + 300) * 1000))
                .jwtID(UUID.randomUUID().toString())
                .claim("sid", "sid-" + UUID.randomUUID());
    }

    public String sign(JWTClaimsSet claims) {
        return sign(claims, new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(KID).type(new JOSEObjectType("at+jwt"))
                .build(), key);
    }

    public String token(String user, String scope) {
        return sign(claims(user, scope).build());
    }

    public static String sign(JWTClaimsSet claims, JWSHeader header, ECKey signingKey) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(new ECDSASigner(signingKey));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
    }
}
