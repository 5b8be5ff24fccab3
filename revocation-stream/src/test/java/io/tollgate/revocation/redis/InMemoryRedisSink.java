package io.tollgate.revocation.redis;

import io.tollgate.shared.redis.RedisKeys;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@link RedisSink} in memory with the same semantics as the Lua scripts, for topology tests. */
public final class InMemoryRedisSink implements RedisSink {
    public final Map<String, String> strings = new TreeMap<>();
    public final Map<String, Long> expireAt = new TreeMap<>();
    public final Map<String, Map<String, String>> hashes = new TreeMap<>();
    public final Map<String, Map<String, Long>> zsets = new TreeMap<>();
    public final List<String> published = new ArrayList<>();
    /** Every write call, in order, e.g. {@code notBefore tg:rev:user:dave 100}. */
    public final List<String> writes = new ArrayList<>();

    @Override
    public boolean notBefore(String key, long notBefore, long expire) {
        writes.add("notBefore " + key + " " + notBefore);
        long cur = strings.containsKey(key) ? Long.parseLong(strings.get(key)) : -1;
        if (notBefore > cur) {
            strings.put(key, Long.toString(notBefore));
            expireAt.put(key, expire);
            published.add(key);
            return true;
        }
        expireAt.merge(key, expire, Math::max);
        return false;
    }

    @Override
    public boolean marker(String key, long revokedAt, long expire) {
        writes.add("marker " + key + " " + revokedAt);
        if (!strings.containsKey(key)) {
            strings.put(key, Long.toString(revokedAt));
            expireAt.put(key, expire);
            if (key.startsWith("tg:rev:family:")) {
                Map<String, String> family = hashes.get(RedisKeys.family(key.substring("tg:rev:family:".length())));
                if (family != null) {
                    family.put("revoked", Long.toString(revokedAt));
                }
            }
            published.add(key);
            return true;
        }
        expireAt.merge(key, expire, Math::max);
        return false;
    }

    @Override
    public boolean decision(String key, Map<String, String> fields, long decidedAt) {
        writes.add("decision " + key + " " + fields.get("outcome"));
        Map<String, String> cur = hashes.get(key);
        if (cur != null && Long.parseLong(cur.get("decidedAt")) > decidedAt || fields.equals(cur)) {
            return false;
        }
        hashes.put(key, new LinkedHashMap<>(fields));
        published.add(key);
        return true;
    }

    @Override
    public void family(FamilyWrite f) {
        writes.add("family " + f.familyId() + " " + f.generation());
        strings.put(RedisKeys.refreshHash(f.refreshHash()), f.familyId() + " " + f.generation());
        String key = RedisKeys.family(f.familyId());
        Map<String, String> cur = hashes.computeIfAbsent(key, k -> new HashMap<>());
        long gen = cur.containsKey("generation") ? Long.parseLong(cur.get("generation")) : -1;
        if (f.generation() > gen) {
            cur.put("user", f.userId());
            cur.put("client", f.clientId());
            cur.put("generation", Integer.toString(f.generation()));
            cur.put("hash", f.refreshHash());
            cur.put("expiresAt", Long.toString(f.expiresAt()));
            cur.put("scope", f.scope());
            if (f.subscriptionId() != null) {
                cur.put("subscriptionId", f.subscriptionId());
            }
            if (f.planId() != null) {
                cur.put("planId", f.planId());
            }
        }
        if (f.createdAt() != null) {
            cur.putIfAbsent("createdAt", Long.toString(f.createdAt()));
            if (f.audience() != null && !f.audience().isEmpty()) {
                cur.putIfAbsent("audience", f.audience());
            }
            zsets.computeIfAbsent(RedisKeys.families(f.userId(), f.clientId()), k -> new LinkedHashMap<>())
                    .putIfAbsent(f.familyId(), f.createdAt());
        }
    }

    @Override
    public void usage(String key, long count, long expire) {
        writes.add("usage " + key + " " + count);
        long cur = strings.containsKey(key) ? Long.parseLong(strings.get(key)) : -1;
        if (count > cur) {
            strings.put(key, Long.toString(count));
            expireAt.put(key, expire);
        }
    }

    @Override
    public Optional<String> projectionState() {
        return Optional.ofNullable(hashes.getOrDefault(RedisKeys.PROJECTION, Map.of()).get("state"));
    }

    @Override
    public boolean claimRebuild(String rebuildId, Duration staleAfter, boolean force) {
        Map<String, String> current = hashes.get(RedisKeys.PROJECTION);
        long now = System.currentTimeMillis();
        if (!force && current != null) {
            if (RedisKeys.PROJECTION_READY.equals(current.get("state"))) {
                return false;
            }
            if (now - Long.parseLong(current.getOrDefault("updatedAt", "0")) < staleAfter.toMillis()) {
                return false;
            }
        }
        hashes.put(RedisKeys.PROJECTION, new HashMap<>(Map.of("state", RedisKeys.PROJECTION_REBUILDING,
                "progress", "0", "rebuild", rebuildId, "updatedAt", Long.toString(now))));
        return true;
    }

    @Override
    public boolean rebuildProgress(String rebuildId, String state, String progress) {
        Map<String, String> current = hashes.get(RedisKeys.PROJECTION);
        if (current == null || !rebuildId.equals(current.get("rebuild"))) {
            return false;
        }
        current.putAll(Map.of("state", state, "progress", progress,
                "updatedAt", Long.toString(System.currentTimeMillis())));
        return true;
    }

    @Override
    public void publish(String message) {
        published.add(message);
    }
}
