package io.tollgate.tokenapi.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tollgate.shared.crypto.RandomTokens;
import io.tollgate.shared.json.Json;
import io.tollgate.shared.redis.RedisKeys;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.Pool;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Authorization requests waiting for the user to log in on the hosted page. The page carries only the random id of
 * the request; the request itself (client, redirect URI, PKCE challenge, state, scope, resources) stays here, so a
 * posted form cannot alter it. The id is taken (deleted) when a code is issued: one code per request.
 */
public final class PendingAuthorizations {
    /** How long a user has to log in once the page is shown. */
    public static final Duration LIFETIME = Duration.ofMinutes(10);

    /**
     * A validated authorization request.
     *
     * @param scope     the {@code scope} parameter as sent; null when absent
     * @param resources the RFC 8707 APIs named; null when none
     */
    public record Request(String clientId, String redirectUri, String state, String codeChallenge, String scope,
                          List<String> resources) {
    }

    private final Pool<Jedis> pool;

    public PendingAuthorizations(Pool<Jedis> pool) {
        this.pool = pool;
    }

    /** Stores {@code request} and returns its id for the page. */
    public String create(Request request) {
        String id = RandomTokens.generate(256);
        try (Jedis jedis = pool.getResource()) {
            jedis.setex(RedisKeys.pendingAuthorization(id), LIFETIME.toSeconds(), Json.mapper().writeValueAsString(request));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode an authorization request", e);
        }
        return id;
    }

    /** The request of {@code id} while it waits; empty when unknown, expired or already used. */
    public Optional<Request> find(String id) {
        return read(id, false);
    }

    /** As {@link #find}, and the request is gone afterwards (exactly one caller gets it). */
    public Optional<Request> take(String id) {
        return read(id, true);
    }

    private Optional<Request> read(String id, boolean delete) {
        if (id == null || id.isEmpty() || id.length() > 128) {
            return Optional.empty();
        }
        String json;
        try (Jedis jedis = pool.getResource()) {
            String key = RedisKeys.pendingAuthorization(id);
            json = delete ? jedis.getDel(key) : jedis.get(key);
        }
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.mapper().readValue(json, Request.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an authorization request cannot be read", e);
        }
    }
}
