package io.tollgate.ops.bench;

import io.tollgate.shared.redis.RedisKeys;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Redis memory of refresh token families, read from a live Redis (the key layout of {@link RedisKeys}).
 *
 * <p>A family is live while its {@code tg:family:{sid}} hash exists, carries no {@code revoked} mark, has no
 * {@code tg:rev:family:{sid}}, has not expired, and was created after any user, user-client or client not-before.
 * The keys a live family implies: its hash, the {@code tg:rt} key of every refresh hash it had, the {@code tg:retry}
 * keys of those hashes, and its share of the keys it shares with other families: {@code tg:families:{user}:{client}}
 * (divided among the zset's members) and {@code tg:family-clients:{user}} (divided among the user's family hashes).
 * Bytes are {@code MEMORY USAGE key SAMPLES 0} (key, value and the key's own overhead, every element counted).
 *
 * <pre>
 *   FamilyMemory PORT                               SNAPSHOT used_memory=.. families=..
 *   FamilyMemory PORT USED_BEFORE FAMILIES_BEFORE   RESULT families=.. live=.. bytes_per_live_family=..
 *                                                     family_keys_per_live_family=.. used_memory=.. new_families=..
 *                                                     used_memory_per_new_family=..
 *                                                   KIND tg:{kind} keys bytes   (every key, by its first two segments)
 * </pre>
 * {@code family_keys_per_live_family}: every key of the family kinds (dead families' too, until they expire) over the
 * live families; {@code used_memory_per_new_family}: the growth of {@code INFO memory} {@code used_memory} since the
 * snapshot over the family hashes added since (everything else written meanwhile included). Run by
 * {@code ops/bench/token-vs-keycloak.sh} around its measured password-grant run.
 */
public final class FamilyMemory {
    private static final String FAMILY = RedisKeys.family("");
    private static final String REFRESH = RedisKeys.refreshHash("");
    private static final String RETRY = RedisKeys.refreshRetry("");
    private static final int BATCH = 1_000;

    /** What one look at Redis found. {@code kinds}: key kind to {keys, bytes}. */
    public record Census(int families, int live, double liveBytes, long familyKindBytes, long usedMemory,
                         Map<String, long[]> kinds) {
        public double bytesPerLiveFamily() {
            return live == 0 ? 0 : liveBytes / live;
        }

        public double familyKeysPerLiveFamily() {
            return live == 0 ? 0 : (double) familyKindBytes / live;
        }
    }

    private FamilyMemory() {
    }

    public static void main(String[] args) {
        try (Jedis jedis = new Jedis("127.0.0.1", Integer.parseInt(args[0]))) {
            if (args.length == 1) {
                System.out.println("SNAPSHOT used_memory=" + usedMemory(jedis) + " families="
                        + keys(jedis, FAMILY).size());
                return;
            }
            Census c = take(jedis);
            long newFamilies = c.families() - Long.parseLong(args[2]);
            long grown = c.usedMemory() - Long.parseLong(args[1]);
            System.out.printf("RESULT families=%d live=%d bytes_per_live_family=%.0f family_keys_per_live_family=%.0f"
                            + " used_memory=%d new_families=%d used_memory_per_new_family=%s%n", c.families(), c.live(),
                    c.bytesPerLiveFamily(), c.familyKeysPerLiveFamily(), c.usedMemory(), newFamilies,
                    newFamilies > 0 ? Long.toString(grown / newFamilies) : "-");
            c.kinds().forEach((kind, v) -> System.out.println("KIND " + kind + " " + v[0] + " " + v[1]));
        }
    }

    /** Reads every key of the Redis {@code jedis} talks to (meant for a benchmark's own Redis, not a shared one). */
    public static Census take(Jedis jedis) {
        long now = Long.parseLong(jedis.time().get(0));
        List<String> all = keys(jedis, "");
        Set<String> present = new HashSet<>(all);
        Map<String, Long> bytes = new HashMap<>();
        for (int i = 0; i < all.size(); i += BATCH) {
            Pipeline p = jedis.pipelined();
            Map<String, Response<Long>> r = new HashMap<>();
            for (String key : all.subList(i, Math.min(all.size(), i + BATCH))) {
                r.put(key, p.memoryUsage(key, 0));
            }
            p.sync();
            r.forEach((key, v) -> bytes.put(key, v.get() == null ? 0L : v.get())); // expired between SCAN and now
        }
        Map<String, long[]> kinds = new TreeMap<>();
        for (String key : all) {
            long[] k = kinds.computeIfAbsent(kind(key), x -> new long[2]);
            k[0]++;
            k[1] += bytes.get(key);
        }

        Map<String, List<String>> hashesOf = hashesByFamily(jedis, all);
        Map<String, List<String>> family = new HashMap<>();
        Map<String, Integer> familiesOfUser = new HashMap<>();
        Set<String> shared = new HashSet<>();
        List<String> sids = new ArrayList<>();
        for (String key : all) {
            if (key.startsWith(FAMILY)) {
                sids.add(key.substring(FAMILY.length()));
            }
        }
        for (int i = 0; i < sids.size(); i += BATCH) {
            Pipeline p = jedis.pipelined();
            Map<String, Response<List<String>>> r = new HashMap<>();
            for (String sid : sids.subList(i, Math.min(sids.size(), i + BATCH))) {
                r.put(sid, p.hmget(RedisKeys.family(sid), "user", "client", "createdAt", "expiresAt", "revoked"));
            }
            p.sync();
            r.forEach((sid, v) -> {
                if (v.get().get(0) != null && v.get().get(1) != null) {
                    family.put(sid, v.get());
                    familiesOfUser.merge(v.get().get(0), 1, Integer::sum);
                    shared.add(RedisKeys.families(v.get().get(0), v.get().get(1)));
                }
            });
        }
        Map<String, Long> members = cardinalities(jedis, shared);
        Map<String, Long> notBefore = notBefores(jedis, family.values(), present);

        int live = 0;
        double liveBytes = 0;
        for (Map.Entry<String, List<String>> e : family.entrySet()) {
            String sid = e.getKey();
            List<String> f = e.getValue();
            String user = f.get(0);
            String client = f.get(1);
            if (f.get(2) == null || f.get(3) == null) {
                continue; // not a whole family (a projection write in progress): not one a token can use
            }
            long createdSeconds = Long.parseLong(f.get(2)) / 1000;
            long notBeforeSeconds = Math.max(notBefore.getOrDefault(RedisKeys.userNotBefore(user), -1L),
                    Math.max(notBefore.getOrDefault(RedisKeys.userClientNotBefore(user, client), -1L),
                            notBefore.getOrDefault(RedisKeys.clientNotBefore(client), -1L)));
            if (f.get(4) != null || present.contains(RedisKeys.revokedFamily(sid))
                    || Long.parseLong(f.get(3)) <= now || createdSeconds <= notBeforeSeconds) {
                continue;
            }
            live++;
            liveBytes += bytes.get(RedisKeys.family(sid));
            for (String hash : hashesOf.getOrDefault(sid, List.of())) {
                liveBytes += bytes.getOrDefault(RedisKeys.refreshHash(hash), 0L)
                        + bytes.getOrDefault(RedisKeys.refreshRetry(hash), 0L);
            }
            String zset = RedisKeys.families(user, client);
            liveBytes += (double) bytes.getOrDefault(zset, 0L) / Math.max(1, members.getOrDefault(zset, 1L));
            liveBytes += (double) bytes.getOrDefault(RedisKeys.familyClients(user), 0L) / familiesOfUser.get(user);
        }
        long familyKindBytes = 0;
        for (String kind : List.of(FAMILY, REFRESH, RETRY, RedisKeys.families("", ""), RedisKeys.familyClients(""))) {
            familyKindBytes += kinds.getOrDefault(kind(kind), new long[2])[1];
        }
        return new Census(sids.size(), live, liveBytes, familyKindBytes, usedMemory(jedis), kinds);
    }

    /** A key's kind: its first two segments ({@code tg:family}, {@code tg:rt}, {@code tg:rev}, ...). */
    static String kind(String key) {
        int first = key.indexOf(':');
        int second = first < 0 ? -1 : key.indexOf(':', first + 1);
        return second < 0 ? key : key.substring(0, second);
    }

    /** Family id to the refresh hashes it ever had, from the values ({@code "{family} {generation}"}) of tg:rt. */
    private static Map<String, List<String>> hashesByFamily(Jedis jedis, List<String> all) {
        List<String> refresh = all.stream().filter(k -> k.startsWith(REFRESH)).toList();
        Map<String, List<String>> out = new HashMap<>();
        for (int i = 0; i < refresh.size(); i += BATCH) {
            Pipeline p = jedis.pipelined();
            Map<String, Response<String>> r = new HashMap<>();
            for (String key : refresh.subList(i, Math.min(refresh.size(), i + BATCH))) {
                r.put(key, p.get(key));
            }
            p.sync();
            r.forEach((key, v) -> {
                if (v.get() != null) {
                    out.computeIfAbsent(v.get().split(" ")[0], x -> new ArrayList<>())
                            .add(key.substring(REFRESH.length()));
                }
            });
        }
        return out;
    }

    private static Map<String, Long> cardinalities(Jedis jedis, Set<String> zsets) {
        Pipeline p = jedis.pipelined();
        Map<String, Response<Long>> r = new HashMap<>();
        zsets.forEach(z -> r.put(z, p.zcard(z)));
        p.sync();
        Map<String, Long> out = new HashMap<>();
        r.forEach((z, v) -> out.put(z, v.get()));
        return out;
    }

    /** The not-before (epoch seconds) of every user, user-client and client revocation key the families may meet. */
    private static Map<String, Long> notBefores(Jedis jedis, java.util.Collection<List<String>> families,
                                                Set<String> present) {
        Set<String> wanted = new HashSet<>();
        for (List<String> f : families) {
            for (String key : List.of(RedisKeys.userNotBefore(f.get(0)), RedisKeys.userClientNotBefore(f.get(0),
                    f.get(1)), RedisKeys.clientNotBefore(f.get(1)))) {
                if (present.contains(key)) {
                    wanted.add(key);
                }
            }
        }
        Map<String, Long> out = new HashMap<>();
        for (String key : wanted) {
            String v = jedis.get(key);
            if (v != null) {
                out.put(key, Long.parseLong(v));
            }
        }
        return out;
    }

    private static List<String> keys(Jedis jedis, String prefix) {
        List<String> out = new ArrayList<>();
        ScanParams params = new ScanParams().match(prefix + "*").count(BATCH);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = jedis.scan(cursor, params);
            out.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return new ArrayList<>(new java.util.LinkedHashSet<>(out)); // SCAN may return a key twice
    }

    private static long usedMemory(Jedis jedis) {
        for (String line : jedis.info("memory").split("\r?\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()).trim());
            }
        }
        throw new IllegalStateException("INFO memory has no used_memory");
    }
}
