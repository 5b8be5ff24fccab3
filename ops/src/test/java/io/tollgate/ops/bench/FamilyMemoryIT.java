package io.tollgate.ops.bench;

import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.testkit.RedisServer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** FamilyMemory counts only live families and charges each the keys it implies, shared keys divided. */
class FamilyMemoryIT {

    private static void family(Jedis jedis, String sid, String user, String client, long createdMillis,
                               long expiresAt, String... hashes) {
        jedis.hset(RedisKeys.family(sid), Map.of("user", user, "client", client, "generation",
                Integer.toString(hashes.length - 1), "hash", hashes[hashes.length - 1], "createdAt",
                Long.toString(createdMillis), "expiresAt", Long.toString(expiresAt), "scope", "openid"));
        for (int g = 0; g < hashes.length; g++) {
            jedis.set(RedisKeys.refreshHash(hashes[g]), sid + " " + g);
        }
        jedis.zadd(RedisKeys.families(user, client), createdMillis, sid);
        jedis.sadd(RedisKeys.familyClients(user), client);
    }

    @Test
    void chargesEachLiveFamilyItsKeysAndItsShareOfTheSharedOnes() {
        try (RedisServer redis = RedisServer.create().start(); Jedis jedis = redis.jedis()) {
            long now = Long.parseLong(jedis.time().get(0));
            long created = (now - 60) * 1000;
            family(jedis, "live", "alice", "app", created, now + 3600, "h0", "h1");
            jedis.hset(RedisKeys.refreshRetry("h0"), Map.of("successor", "h1", "sealed", "x".repeat(64)));
            family(jedis, "reused", "alice", "app", created, now + 3600, "h2");
            jedis.set(RedisKeys.revokedFamily("reused"), Long.toString(now));
            family(jedis, "marked", "alice", "web", created, now + 3600, "h3");
            jedis.hset(RedisKeys.family("marked"), "revoked", Long.toString(now));
            family(jedis, "expired", "bob", "app", created, now - 1, "h4");
            family(jedis, "before-logout", "carol", "app", created, now + 3600, "h5");
            jedis.set(RedisKeys.userNotBefore("carol"), Long.toString(now - 10));
            jedis.set(RedisKeys.userFailures("dave"), "3");

            FamilyMemory.Census census = FamilyMemory.take(jedis);

            assertThat(census.families()).isEqualTo(5);
            assertThat(census.live()).isEqualTo(1);
            double own = jedis.memoryUsage(RedisKeys.family("live"), 0) + jedis.memoryUsage(RedisKeys.refreshHash("h0"), 0)
                    + jedis.memoryUsage(RedisKeys.refreshHash("h1"), 0) + jedis.memoryUsage(RedisKeys.refreshRetry("h0"), 0)
                    + jedis.memoryUsage(RedisKeys.families("alice", "app"), 0) / 2.0 // live and reused
                    + jedis.memoryUsage(RedisKeys.familyClients("alice"), 0) / 3.0; // live, reused, marked
            assertThat(census.bytesPerLiveFamily()).isCloseTo(own, within(0.01));
            assertThat(census.kinds().get("tg:family")[0]).isEqualTo(5);
            assertThat(census.kinds().get("tg:rt")[0]).isEqualTo(6);
            assertThat(census.kinds().get("tg:fail")[0]).isEqualTo(1);
            long familyKinds = 0;
            for (String kind : new String[] {"tg:family", "tg:rt", "tg:retry", "tg:families", "tg:family-clients"}) {
                familyKinds += census.kinds().get(kind)[1];
            }
            assertThat(census.familyKeysPerLiveFamily()).isEqualTo((double) familyKinds);
            assertThat(census.usedMemory()).isPositive();
        }
    }
}
