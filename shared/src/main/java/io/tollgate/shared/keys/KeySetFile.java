package io.tollgate.shared.keys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWK;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;

/**
 * The key set file: a JWK set (RFC 7517) of private keys in which each key carries one extra member,
 * {@code tollgate}, with its state and dates; any JWKS reader reads the keys and ignores the member:
 *
 * <pre>{@code {"keys": [{"kty": "RSA", "kid": "rs256-...", "use": "sig", "alg": "RS256", "n": "...", "d": "...",
 *   "tollgate": {"state": "active", "created": "2026-...Z", "published": "2026-...Z", "activated": "2026-...Z"}}]}}</pre>
 *
 * A plain JWK set without the member (a hand-made key file) reads as: the key with the newest {@code iat} active,
 * every other published. Written atomically (a temporary file in the same directory, then a rename) with mode 600.
 */
public final class KeySetFile {
    /** The extra member of each JWK. */
    public static final String MEMBER = "tollgate";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private KeySetFile() {
    }

    /** Reads a key set file; {@link KeySetException} names the file and what is wrong with it. */
    public static KeySet read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KeySetException("cannot read the key set file " + file + ": " + e, e);
        }
        try {
            return parse(text);
        } catch (KeySetException e) {
            throw new KeySetException("the key set file " + file + " is unusable: " + e.getMessage(), e);
        }
    }

    /** Parses the file's text (see the class comment). */
    public static KeySet parse(String text) {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new KeySetException("not JSON (line " + e.getLocation().getLineNr() + ")");
        }
        if (root == null || !root.path("keys").isArray()) {
            throw new KeySetException("not a JWK set: no \"keys\" array");
        }
        List<JWK> jwks = new ArrayList<>();
        List<JsonNode> members = new ArrayList<>();
        for (JsonNode node : root.get("keys")) {
            if (!node.isObject()) {
                throw new KeySetException("a member of \"keys\" is not an object");
            }
            ObjectNode copy = ((ObjectNode) node).deepCopy();
            members.add(copy.remove(MEMBER));
            try {
                jwks.add(JWK.parse(MAPPER.writeValueAsString(copy)));
            } catch (ParseException | JsonProcessingException e) {
                throw new KeySetException("key " + node.path("kid").asText("(no kid)") + " is not a JWK: "
                        + e.getMessage());
            }
        }
        if (jwks.isEmpty()) {
            throw new KeySetException("the set holds no key");
        }
        long described = members.stream().filter(m -> m != null).count();
        if (described == 0) {
            return fromPlainJwks(jwks);
        }
        if (described != jwks.size()) {
            throw new KeySetException("some keys have a \"" + MEMBER + "\" member and some not: every key needs one");
        }
        List<ManagedKey> keys = new ArrayList<>();
        for (int i = 0; i < jwks.size(); i++) {
            keys.add(key(jwks.get(i), members.get(i)));
        }
        return new KeySet(keys);
    }

    /** A plain JWK set: the newest {@code iat} (later in the file on a tie) is active, every other key published. */
    public static KeySet fromPlainJwks(List<JWK> jwks) {
        for (JWK jwk : jwks) {
            if (jwk.getKeyID() == null || jwk.getKeyID().isBlank()) {
                throw new KeySetException("every signing key needs a kid");
            }
        }
        JWK newest = jwks.stream()
                .max(Comparator.comparing((JWK k) -> k.getIssueTime() == null ? new Date(0) : k.getIssueTime())
                        .thenComparing(jwks::indexOf))
                .orElseThrow();
        List<ManagedKey> keys = new ArrayList<>();
        for (JWK jwk : jwks) {
            Instant iat = jwk.getIssueTime() == null ? null : jwk.getIssueTime().toInstant();
            keys.add(new ManagedKey(jwk, jwk == newest ? KeyState.ACTIVE : KeyState.PUBLISHED, iat, iat, null, null,
                    false));
        }
        return new KeySet(keys);
    }

    private static ManagedKey key(JWK jwk, JsonNode member) {
        String kid = jwk.getKeyID();
        if (!member.isObject()) {
            throw new KeySetException("key " + kid + ": \"" + MEMBER + "\" is not an object");
        }
        KeyState state;
        try {
            state = KeyState.parse(member.path("state").asText(""));
        } catch (IllegalArgumentException e) {
            throw new KeySetException("key " + kid + ": " + e.getMessage());
        }
        return new ManagedKey(jwk, state, time(kid, member, "created"), time(kid, member, "published"),
                time(kid, member, "activated"), time(kid, member, "deactivated"), member.path("demo").asBoolean(false));
    }

    private static Instant time(String kid, JsonNode member, String name) {
        JsonNode value = member.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            throw new KeySetException("key " + kid + ": \"" + name + "\" is not an ISO-8601 instant: " + value.asText());
        }
    }

    /** The file's text: private keys included. */
    public static String format(KeySet set) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode array = root.putArray("keys");
        for (ManagedKey key : set.keys()) {
            ObjectNode node;
            try {
                node = (ObjectNode) MAPPER.readTree(key.jwk().toJSONString());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Nimbus wrote a JWK that is not JSON", e);
            }
            ObjectNode member = node.putObject(MEMBER);
            member.put("state", key.state().label());
            put(member, "created", key.created());
            put(member, "published", key.published());
            put(member, "activated", key.activated());
            put(member, "deactivated", key.deactivated());
            if (key.demo()) {
                member.put("demo", true);
            }
            array.add(node);
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void put(ObjectNode member, String name, Instant value) {
        if (value != null) {
            member.put(name, value.toString());
        }
    }

    /**
     * Writes the set atomically: a reader sees the old file or the new one, never a part. The file is readable
     * and writable by its owner only (mode 600).
     */
    public static void write(Path file, KeySet set) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's protection applies
            }
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(format(set).getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + target + " atomically on this file system", e);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
