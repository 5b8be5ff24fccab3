package io.tollgate.policy.redis;

import io.tollgate.policy.core.LiveFamily;
import io.tollgate.shared.redis.RedisKeys;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.resps.Tuple;
import redis.clients.jedis.util.Pool;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the live refresh families of a (user, client) from the layout in docs/redis.md, oldest first: a family
 * is live when not in {@code tg:rev:family:*}, not killed by a user/uc/client not-before at or after its
 * creation second, and not expired.
 *
 * <p>Families are revocation-stream's projection: after Redis is lost they come back only as it is rebuilt.
 * The family set is read in one MULTI/EXEC with {@code tg:projection}; unless that says {@code ready} the read
 * throws {@link ProjectionNotReadyException}, so the batch is retried later instead of counting a half-rebuilt
 * Redis (which let a login beyond the device limit keep every family).
 */
public final class FamilyReader {
    private final Pool<Jedis> pool;

    public FamilyReader(Pool<Jedis> pool) {
        this.pool = pool;
    }

    public List<LiveFamily> live(String user, String client, Instant now) {
        try (Jedis jedis = pool.getResource()) {
            Transaction t = jedis.multi();
            Response<List<Tuple>> set = t.zrangeWithScores(RedisKeys.families(user, client), 0, -1);
            Response<List<String>> notBefores = t.mget(RedisKeys.userNotBefore(user),
                    RedisKeys.userClientNotBefore(user, client), RedisKeys.clientNotBefore(client));
            Response<String> state = t.hget(RedisKeys.PROJECTION, RedisKeys.PROJECTION_STATE_FIELD);
            t.exec();
            if (!RedisKeys.PROJECTION_READY.equals(state.get())) {
                throw new ProjectionNotReadyException();
            }
            long notBefore = max(notBefores.get());
            // The candidates' revocation markers and hashes in one round trip, whatever their number.
            List<Tuple> candidates = new ArrayList<>();
            for (Tuple member : set.get()) { // ascending score = oldest first
                if ((long) member.getScore() / 1000 > notBefore) {
                    candidates.add(member);
                }
            }
            Pipeline p = jedis.pipelined();
            List<Response<Boolean>> revoked = new ArrayList<>(candidates.size());
            List<Response<List<String>>> fields = new ArrayList<>(candidates.size());
            for (Tuple member : candidates) {
                revoked.add(p.exists(RedisKeys.revokedFamily(member.getElement())));
                fields.add(p.hmget(RedisKeys.family(member.getElement()), "expiresAt", "subscriptionId"));
            }
            p.sync();
            List<LiveFamily> live = new ArrayList<>();
            for (int i = 0; i < candidates.size(); i++) {
                String expires = fields.get(i).get().get(0);
                if (revoked.get(i).get() || expires == null || Long.parseLong(expires) <= now.getEpochSecond()) {
                    continue;
                }
                live.add(new LiveFamily(candidates.get(i).getElement(), (long) candidates.get(i).getScore(),
                        Instant.ofEpochSecond(Long.parseLong(expires)), fields.get(i).get().get(1)));
            }
            return live;
        }
    }

    /**
     * The subscription a family was tied to at its login, as its hash records it (live or not); null when the family
     * or the field is gone.
     */
    public String subscriptionOf(String familyId) {
        try (Jedis jedis = pool.getResource()) {
            String value = jedis.hget(RedisKeys.family(familyId), "subscriptionId");
            return value == null || value.isBlank() ? null : value;
        }
    }

    /** tg:projection is not {@code ready}: the families of a lost Redis are not all back yet. */
    public static final class ProjectionNotReadyException extends IllegalStateException {
        public ProjectionNotReadyException() {
            super("the Redis projection is not ready (being rebuilt): live families cannot be counted yet");
        }
    }

    private static long max(List<String> values) {
        long max = -1;
        for (String v : values) {
            if (v != null) {
                max = Math.max(max, Long.parseLong(v));
            }
        }
        return max;
    }
}
