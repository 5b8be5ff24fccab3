package io.tollgate.revocation.kafka;

import io.tollgate.revocation.core.RedisRetry;
import io.tollgate.revocation.redis.RedisSink;
import io.tollgate.shared.redis.RedisKeys.Window;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;

import java.time.Duration;

/** Writes a window's absolute count to {@code tg:usage:{client}|{user}:{w}:{start}}. */
final class UsageProcessor implements Processor<Windowed<String>, Long, Void, Void> {
    private final RedisSink sink;
    private final RedisRetry retry;
    private final Window window;
    private final Duration keep;

    UsageProcessor(RedisSink sink, RedisRetry retry, Window window, Duration keep) {
        this.sink = sink;
        this.retry = retry;
        this.window = window;
        this.keep = keep;
    }

    /** The Redis key of a usage window; {@code pair} is {@code client|user} as the calls topic keys it. */
    static String key(String pair, Window window, long startEpochSeconds) {
        return "tg:usage:" + pair + ":" + window.code() + ":" + startEpochSeconds;
    }

    @Override
    public void process(Record<Windowed<String>, Long> record) {
        if (record.value() == null) {
            return;
        }
        long start = record.key().window().start() / 1000;
        long expireAt = start + window.seconds() + keep.toSeconds();
        String key = key(record.key().key(), window, start);
        retry.call(() -> {
            sink.usage(key, record.value(), expireAt);
            return null;
        });
    }
}
