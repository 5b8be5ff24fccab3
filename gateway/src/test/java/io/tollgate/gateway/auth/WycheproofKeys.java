package io.tollgate.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.tollgate.testkit.Wycheproof;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves each Wycheproof group's key set over HTTP, the way token-api serves its JWKS, and gives every group
 * the gateway's own {@link JwksKeySource} loaded from it: the vectors' keys take production's key path
 * (HTTP fetch, {@code JWKSet.parse}, public keys only), not a shortcut.
 */
final class WycheproofKeys implements AutoCloseable {
    private final HttpServer server;
    private final Map<JsonNode, JwksKeySource> sources = new IdentityHashMap<>();

    WycheproofKeys(List<Wycheproof.Vector> vectors) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.start();
        int n = 0;
        for (Wycheproof.Vector v : vectors) {
            if (sources.containsKey(v.group())) {
                continue;
            }
            String path = "/jwks/" + n++;
            byte[] body = jwks(v.group()).getBytes(StandardCharsets.UTF_8);
            server.createContext(path, exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            JwksKeySource source = new JwksKeySource(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path),
                    Duration.ofHours(1), Duration.ofSeconds(1));
            source.load(); // false when JWKSet.parse refuses the set: then the source holds no key
            sources.put(v.group(), source);
        }
    }

    /** The set a JWKS endpoint would publish for the group (see {@link Wycheproof#publicKey}). */
    private static String jwks(JsonNode group) {
        JsonNode key = Wycheproof.publicKey(group);
        return key.has("keys") ? key.toString() : "{\"keys\":[" + key + "]}";
    }

    JwksKeySource of(Wycheproof.Vector v) {
        return sources.get(v.group());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
