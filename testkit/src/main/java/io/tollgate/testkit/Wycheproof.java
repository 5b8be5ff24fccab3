package io.tollgate.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.shared.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Project Wycheproof's test vectors, read from the class path ({@code /wycheproof/}, testkit's resources, with
 * their README and LICENSE). One {@link Vector} per {@code tcId}; a file whose vector count differs from
 * its own {@code numberOfTests} is refused, so a run can never be silently short.
 */
public final class Wycheproof {
    public static final String JWS = "json_web_signature_test.json";
    public static final String JWK = "json_web_key_test.json";
    public static final String ES256_P1363 = "ecdsa_secp256r1_sha256_p1363_test.json";
    public static final String RS256 = "rsa_signature_2048_sha256_test.json";
    public static final String ED25519 = "ed25519_test.json";

    private Wycheproof() {
    }

    /** Wycheproof's verdict on a vector. */
    public enum Result {
        VALID, INVALID, ACCEPTABLE
    }

    /** One test case and the group (key, algorithm) it belongs to. */
    public record Vector(String file, int tcId, String comment, Result result, List<String> flags, JsonNode group,
                         JsonNode test) {
        /** A text field of the test case ({@code jws}, {@code msg}, {@code sig}). */
        public String text(String field) {
            return test.path(field).asText();
        }

        /** What a parameterised test shows: file, tcId, comment, verdict. */
        @Override
        public String toString() {
            return file.replace("_test.json", "") + " #" + tcId + " " + comment + " [" + result.name().toLowerCase()
                    + (flags.isEmpty() ? "" : " " + String.join(",", flags)) + "]";
        }
    }

    /**
     * The group's key as a JWK: its {@code public} key (JWS file), the raw signature files' {@code publicKeyJwk} /
     * {@code keyJwk}, else {@code private} (an HMAC group has only its secret; the JWK file's sets). Nine ES256
     * groups give their point only as hex {@code wx} / {@code wy}: the same key is written as a P-256 JWK.
     */
    public static JsonNode publicKey(JsonNode group) {
        for (String field : new String[] {"public", "publicKeyJwk", "keyJwk", "private"}) {
            if (group.has(field)) {
                return group.get(field);
            }
        }
        JsonNode point = group.path("publicKey");
        return Json.mapper().createObjectNode().put("kty", "EC").put("crv", "P-256").put("kid", "none")
                .put("x", coordinate(point.path("wx").asText())).put("y", coordinate(point.path("wy").asText()));
    }

    /** A hex coordinate as the 32-byte unsigned big-endian base64url a P-256 JWK holds. */
    private static String coordinate(String hex) {
        byte[] value = new BigInteger(hex, 16).toByteArray();
        byte[] fixed = new byte[32];
        int n = Math.min(value.length, 32);
        System.arraycopy(value, value.length - n, fixed, 32 - n, n);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
    }

    /** Every vector of {@code file}, in file order. */
    public static List<Vector> load(String file) {
        JsonNode root = read(file);
        List<Vector> vectors = new ArrayList<>();
        for (JsonNode group : root.path("testGroups")) {
            for (JsonNode test : group.path("tests")) {
                List<String> flags = new ArrayList<>();
                test.path("flags").forEach(f -> flags.add(f.asText()));
                vectors.add(new Vector(file, test.path("tcId").asInt(), test.path("comment").asText(),
                        Result.valueOf(test.path("result").asText().toUpperCase()), List.copyOf(flags), group, test));
            }
        }
        int declared = root.path("numberOfTests").asInt(-1);
        if (vectors.size() != declared) {
            throw new IllegalStateException(file + " holds " + vectors.size() + " vectors but declares " + declared);
        }
        return List.copyOf(vectors);
    }

    private static JsonNode read(String file) {
        try (InputStream in = Wycheproof.class.getResourceAsStream("/wycheproof/" + file)) {
            if (in == null) {
                throw new IllegalStateException("/wycheproof/" + file + " is not on the class path");
            }
            return Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
