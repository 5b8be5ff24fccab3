package io.tollgate.revocation.core;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.Revocation;
import io.tollgate.shared.metrics.Signals;

import java.time.Clock;

/**
 * How long a revocation took to reach Redis through Kafka: from the revocation event's own time to the moment
 * the projection's write of it returned (its {@code tg:invalidate} PUBLISH, when the value changed, runs in the
 * same Lua script, so it has been sent by then). Recorded by the live topology only, once per revocation it
 * writes; a rebuild re-reads old revocations and would only measure their age.
 *
 * <p>The start is the CloudEvents {@code time}, which both producers (token-api for operator, RFC 7009 and
 * refresh-reuse revocations, policy-worker for its denials) set as they emit the event: it is the producer's
 * create time whatever the topic's {@code message.timestamp.type}, which Tollgate does not set (a broker whose
 * default is {@code LogAppendTime} would turn the Kafka record timestamp into the append time). For
 * policy-worker's transactional records the figure includes the wait for the transaction's commit, which
 * every reader waits too. Both ends are wall clocks of different hosts: a skew shows up as delay, and a
 * producer clock ahead of this one is recorded as 0 rather than dropped, so the count stays one per revocation.
 */
public final class PropagationDelay {
    /**
     * The histogram's name: {@code tollgate_revocation_propagation_seconds_bucket{le}}, {@code _sum} and
     * {@code _count}, buckets from 1 ms to 10 s, so a cluster-wide quantile is one {@code histogram_quantile}.
     */
    public static final String METRIC = "tollgate_revocation_propagation_seconds";

    private final DistributionDataPoint histogram;
    private final Clock clock;

    public PropagationDelay(DistributionDataPoint histogram, Clock clock) {
        this.histogram = histogram;
        this.clock = clock;
    }

    /** The application's histogram of propagation delays. */
    public static DistributionDataPoint histogram(MetricRegistry metrics) {
        return Signals.of(metrics).histogram(METRIC, "time from a revocation event's own time to its write in Redis",
                Signals.PROPAGATION_BUCKETS);
    }

    /** Records {@code event}'s delay when it is a revocation the projection has just written. */
    public void projected(Event<?> event) {
        if (event != null && event.data() instanceof Revocation) {
            long millis = clock.millis() - event.time().toEpochMilli();
            histogram.observe(Math.max(0, millis) / 1000.0);
        }
    }
}
