package io.tollgate.revocation.kafka;

import io.dropwizard.lifecycle.Managed;
import io.tollgate.revocation.redis.RedisSink;
import io.tollgate.shared.concurrent.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Checks {@code tg:projection} at start-up and then every {@code interval}: when the hash is missing (a new
 * or flushed Redis) or stuck in {@code rebuilding} with no heartbeat for {@link ProjectionRebuilder#STALE_AFTER}
 * (a rebuild whose instance died), it claims the rebuild and runs it. With several instances only the one whose
 * claim succeeds rebuilds; the others see a fresh {@code rebuilding} and wait (rather than start rebuilds of
 * their own, which would flip a finished projection back to {@code rebuilding}). A Redis outage only delays the check.
 * {@link #requestRebuild()} (the admin task) forces one, taking over any running rebuild.
 */
public final class ProjectionWatcher implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectionWatcher.class);

    private final RedisSink sink;
    private final ProjectionRebuilder rebuilder;
    private final Duration interval;
    private final AtomicBoolean forced = new AtomicBoolean();
    private ScheduledExecutorService executor;

    public ProjectionWatcher(RedisSink sink, ProjectionRebuilder rebuilder, Duration interval) {
        this.sink = sink;
        this.rebuilder = rebuilder;
        this.interval = interval;
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("projection-watcher"));
        executor.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Schedules a rebuild now (returns at once). */
    public void requestRebuild() {
        forced.set(true);
        executor.execute(this::check);
    }

    void check() {
        try {
            boolean force = forced.getAndSet(false);
            String rebuildId = UUID.randomUUID().toString();
            if (sink.claimRebuild(rebuildId, ProjectionRebuilder.STALE_AFTER, force)) {
                LOG.info("event=projection.rebuild_needed rebuild={} forced={}", rebuildId, force);
                rebuilder.rebuild(rebuildId);
            }
        } catch (RuntimeException e) {
            LOG.warn("event=projection.check_failed error=\"{}\"", e.toString());
        }
    }

    @Override
    public void stop() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
