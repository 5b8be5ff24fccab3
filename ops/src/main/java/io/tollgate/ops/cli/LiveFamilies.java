package io.tollgate.ops.cli;

import io.tollgate.shared.redis.RedisKeys;
import redis.clients.jedis.Jedis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A user's live refresh-token families, read from the Redis layout of HELPERS.md: a family is live when
 * it is not in {@code tg:rev:family:*}, no user / user+client / client not-before is at or after its
 * creation second, and its refresh expiry is in the future.
 */
final class LiveFamilies {
    record Family(String familyId, String user, String client, int generation, Instant createdAt, Instant expiresAt,
                  String scope, String subscriptionId, String planId) {
    }

    private LiveFamilies() {
    }

    static List<Family> of(Jedis jedis, String user, String onlyClient, Instant now) {
        Set<String> clients = onlyClient != null ? Set.of(onlyClient) : jedis.smembers(RedisKeys.familyClients(user));
        long userNotBefore = epoch(jedis.get(RedisKeys.userNotBefore(user)));
        List<Family> live = new ArrayList<>();
        for (String client : clients) {
            long notBefore = Math.max(userNotBefore, Math.max(
                    epoch(jedis.get(RedisKeys.userClientNotBefore(user, client))),
                    epoch(jedis.get(RedisKeys.clientNotBefore(client)))));
            for (String sid : jedis.zrange(RedisKeys.families(user, client), 0, -1)) {
                Map<String, String> hash = jedis.hgetAll(RedisKeys.family(sid));
                if (hash.isEmpty() || jedis.exists(RedisKeys.revokedFamily(sid))) {
                    continue;
                }
                long createdMs = Long.parseLong(hash.getOrDefault("createdAt", "0"));
                long expiresAt = Long.parseLong(hash.getOrDefault("expiresAt", "0"));
                if (notBefore >= createdMs / 1000 || expiresAt <= now.getEpochSecond()) {
                    continue;
                }
                live.add(new Family(sid, hash.getOrDefault("user", user), hash.getOrDefault("client", client),
                        Integer.parseInt(hash.getOrDefault("generation", "0")), Instant.ofEpochMilli(createdMs),
                        Instant.ofEpochSecond(expiresAt), hash.get("scope"), hash.get("subscriptionId"),
                        hash.get("planId")));
            }
        }
        live.sort(Comparator.comparing(Family::createdAt));
        return live;
    }

    /** A not-before value; absent means "never revoked" (-1 so that no creation second is at or before it). */
    private static long epoch(String value) {
        if (value == null || value.isBlank()) {
            return -1;
        }
        return Long.parseLong(value.trim());
    }
}
