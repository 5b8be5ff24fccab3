package io.tollgate.revocation.kafka;

import io.tollgate.revocation.core.RedisRetry;
import io.tollgate.revocation.redis.RedisSink;
import io.tollgate.shared.redis.RedisKeys.Window;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;

import java.time.Duration;

/**
 * Writes a window's absolute count to its Redis key: {@code tg:usage:{client}|{user}:{w}:{start}} for the
 * per-(app, user) counts, {@code tg:usage-api:{client}|{api}:{w}:{start}} for the per-(app, API) ones (the
 * layout is {@link io.tollgate.shared.redis.RedisKeys}'s).
 */
final class UsageProcessor implements Processor<Windowed<String>, Long, Void, Void> {
    /** The Redis key of a window of a grouping key ({@code client|user} or {@code client|api}). */
    interface KeyLayout {
        String key(String pair, Window window, long startEpochSeconds);
    }

    private final RedisSink sink;
    private final RedisRetry retry;
    private final Window window;
    private final Duration keep;
    private final KeyLayout layout;

    UsageProcessor(RedisSink sink, RedisRetry retry, Window window, Duration keep, KeyLayout layout) {
        this.sink = sink;
        this.retry = retry;
        this.window = window;
        this.keep = keep;
        this.layout = layout;
    }

    @Override
    public void process(Record<Windowed<String>, Long> record) {
        if (record.value() == null) {
            return;
        }
        long start = record.key().window().start() / 1000;
        long expireAt = start + window.seconds() + keep.toSeconds();
        String key = layout.key(record.key().key(), window, start);
        retry.call(() -> {
            sink.usage(key, record.value(), expireAt);
            return null;
        });
    }
}
