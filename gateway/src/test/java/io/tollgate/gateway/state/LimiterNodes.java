package io.tollgate.gateway.state;

import com.codahale.metrics.MetricRegistry;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.redis.RedisEndpoint;
import io.tollgate.testkit.RedisExtension;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rate limiters ("nodes") on one real Redis, each with an event loop of its own, and the clock they share, which the
 * test moves. Each test starts on an empty Redis, and every node is stopped after it.
 */
final class LimiterNodes implements BeforeEachCallback, AfterEachCallback {
    private final RedisExtension redis;
    private final AtomicLong clock;
    private final List<NioEventLoopGroup> groups = new ArrayList<>();
    private final List<RateLimiter> limiters = new ArrayList<>();

    /** Nodes on {@code redis} whose clock starts at {@code epochSeconds}. */
    LimiterNodes(RedisExtension redis, long epochSeconds) {
        this.redis = redis;
        this.clock = new AtomicLong(epochSeconds * 1000);
    }

    /** Moves the nodes' clock to {@code epochSeconds}. */
    void clock(long epochSeconds) {
        clock.set(epochSeconds * 1000);
    }

    /** A started limiter named {@code name} and a loop of its own. */
    Node node(String name) {
        MetricRegistry registry = new MetricRegistry();
        RateLimiter limiter = new RateLimiter(new LoopRedisClient(RedisEndpoint.standalone(redis.host(), redis.port())
                .timeout(Duration.ofSeconds(5)).build(), NioSocketChannel.class), name, clock::get, registry);
        limiter.start();
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        groups.add(group);
        limiters.add(limiter);
        return new Node(limiter, group.next(), registry);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        redis.flushAll();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (RateLimiter limiter : limiters) {
            limiter.stop();
        }
        for (NioEventLoopGroup group : groups) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        limiters.clear();
        groups.clear();
    }

    record Node(RateLimiter limiter, EventLoop loop, MetricRegistry metrics) {
        long claims() {
            return metrics.counter("gateway.rate-limit.claims").getCount();
        }

        /** Starts {@code calls} acquisitions in one pass of the node's loop (they wait for one claim together). */
        List<CompletableFuture<RateLimiter.Decision>> start(String client, String user, PlanRecord plan, int calls) {
            List<CompletableFuture<RateLimiter.Decision>> futures = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                futures.add(new CompletableFuture<>());
            }
            loop.execute(() -> {
                for (CompletableFuture<RateLimiter.Decision> future : futures) {
                    limiter.acquireAsync(client, user, plan, loop, future::complete);
                }
            });
            return futures;
        }
    }
}
