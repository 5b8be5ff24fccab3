package io.tollgate.revocation;

import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.testkit.RedisExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.tollgate.revocation.RevocationStreamIT.await;

/**
 * What a gateway would hear: every message published on the invalidation channel of a test's Redis, in order,
 * from a subscriber on a daemon thread that is subscribed when {@link #listen} returns.
 */
final class Invalidations implements AutoCloseable {
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final JedisPubSub subscriber = new JedisPubSub() {
        @Override
        public void onMessage(String channel, String message) {
            messages.add(message);
        }
    };

    private Invalidations() {
    }

    static Invalidations listen(RedisExtension redis) throws InterruptedException {
        Invalidations invalidations = new Invalidations();
        Thread thread = new Thread(() -> {
            try (Jedis jedis = redis.jedis()) {
                jedis.subscribe(invalidations.subscriber, RedisKeys.INVALIDATION_CHANNEL);
            }
        }, "invalidation-subscriber");
        thread.setDaemon(true);
        thread.start();
        await(invalidations.subscriber::isSubscribed, Duration.ofSeconds(10));
        return invalidations;
    }

    /** The messages heard so far, live: a test may clear it between steps. */
    List<String> messages() {
        return messages;
    }

    @Override
    public void close() {
        if (subscriber.isSubscribed()) {
            subscriber.unsubscribe();
        }
    }
}
