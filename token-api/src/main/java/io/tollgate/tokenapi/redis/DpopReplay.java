package io.tollgate.tokenapi.redis;

import io.tollgate.shared.crypto.Hashes;
import io.tollgate.shared.dpop.DpopProofVerifier;
import io.tollgate.shared.redis.RedisKeys;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.Pool;

/**
 * The token endpoint's DPoP replay cache: {@code SET tg:dpop:as:{sha256(jti)} NX PX window}, shared by every
 * token-api node. The key lives as long as a proof with that {@code jti} could pass the iat check
 * ({@link DpopProofVerifier#REPLAY_WINDOW}). Redis unreachable is an exception (503), never an accepted proof.
 */
public final class DpopReplay {
    static final String AUDIENCE = "as";
    private final Pool<Jedis> pool;

    public DpopReplay(Pool<Jedis> pool) {
        this.pool = pool;
    }

    /** True the first time {@code jti} is presented within the window, false for a replay. */
    public boolean firstUse(String jti) {
        try (Jedis jedis = pool.getResource()) {
            return "OK".equals(jedis.set(RedisKeys.dpopJti(AUDIENCE, Hashes.sha256(jti)), "1",
                    SetParams.setParams().nx().px(DpopProofVerifier.REPLAY_WINDOW.toMillis())));
        }
    }
}
