package io.tollgate.gateway.state;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.tollgate.shared.crypto.Hashes;
import io.tollgate.shared.dpop.DpopProofVerifier;
import io.tollgate.shared.redis.RedisEndpoint;
import io.tollgate.shared.redis.RedisKeys;

import java.util.List;
import java.util.function.Consumer;

/**
 * The gateways' DPoP replay cache, shared by every node through Redis: {@code SET tg:dpop:rs:{sha256(jti)} 1 NX PX
 * window}, sent on the request's own event loop ({@link LoopRedisClient}: no blocking, pipelined with the loop's
 * other calls). The key lives as long as a proof with that {@code jti} could pass the iat check
 * ({@link DpopProofVerifier#REPLAY_WINDOW}). No answer (Redis down, timeout, error reply) is "unknown": the caller
 * answers 503, never accepts the proof unchecked.
 */
public final class DpopReplayCache {
    static final String AUDIENCE = "rs";
    // SET's NX answer is OK or a null bulk string; the client reports a failure as null too, so a script turns the
    // answer into 1 (first use) or 0 (seen).
    static final String SCRIPT = "if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 1 else return 0 end";
    private static final String TTL = Long.toString(DpopProofVerifier.REPLAY_WINDOW.toMillis());

    private final LoopRedisClient redis;

    public DpopReplayCache(RedisEndpoint endpoint, Class<? extends Channel> channelClass) {
        this.redis = new LoopRedisClient(endpoint, channelClass);
    }

    /**
     * Records {@code jti}; {@code done} gets TRUE the first time any gateway sees it within the window, FALSE for a
     * replay, null when Redis could not answer. Called on any thread; answers on {@code loop}.
     */
    public void firstUse(String jti, EventLoop loop, Consumer<Boolean> done) {
        if (loop == null) {
            done.accept(null);
            return;
        }
        List<String> command = List.of("EVAL", SCRIPT, "1", RedisKeys.dpopJti(AUDIENCE, Hashes.sha256(jti)), TTL);
        Runnable send = () -> redis.send(loop, command, reply -> done.accept(reply instanceof Long n ? n == 1L : null));
        if (loop.inEventLoop()) {
            send.run();
        } else {
            loop.execute(send);
        }
    }
}
