package io.tollgate.revocation.kafka;

import io.tollgate.revocation.core.ProjectionApplier;
import io.tollgate.revocation.core.PropagationDelay;
import io.tollgate.revocation.core.RedisRetry;
import io.tollgate.revocation.redis.RedisSink;
import io.tollgate.shared.events.ApiCall;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventSerde;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.shared.redis.RedisKeys.Window;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The revocation-stream topology, built by a pure function:
 * <ul>
 *   <li>{@code tollgate.revocations}, {@code tollgate.policy-decisions} and the family events of
 *       {@code tollgate.auth-events} are projected into Redis by {@link ProjectionProcessor}, which times each
 *       revocation's way there ({@link PropagationDelay});</li>
 *   <li>{@code tollgate.calls} is counted per {@code client|user} in minute, hour and day windows (event
 *       time, with grace for late calls) into stores {@code usage-m}, {@code usage-h}, {@code usage-d};
 *       every update writes the window's ABSOLUTE count to {@code tg:usage:...};</li>
 *   <li>the same calls of a known application are re-keyed {@code client|api}, repartitioned (internal topic
 *       {@code <applicationId>-usage-api-repartition}) and counted the same way into {@code usage-api-m/h/d}
 *       and {@code tg:usage-api:...}, so the portal reads an app's calls per API without summing users.</li>
 * </ul>
 */
public final class ProjectionTopology {
    public static final String SOURCE_PROJECTION = "projection-source";
    public static final String SOURCE_CALLS = "calls-source";
    /** Name of the per-(app, API) repartition step (topic {@code <applicationId>-usage-api-repartition}). */
    public static final String USAGE_API_REPARTITION = "usage-api";

    private ProjectionTopology() {
    }

    public static String usageStore(Window window) {
        return "usage-" + window.code();
    }

    public static String apiUsageStore(Window window) {
        return "usage-api-" + window.code();
    }

    public static Topology build(RedisSink sink, ProjectionApplier applier, RedisRetry retry, PropagationDelay delay,
                                 Duration grace, Duration usageKeep) {
        StreamsBuilder builder = new StreamsBuilder();
        Consumed<String, Event<?>> consumed = Consumed.with(Serdes.String(), EventSerde.INSTANCE);

        builder.stream(List.of(Topics.REVOCATIONS.name(), Topics.POLICY_DECISIONS.name(), Topics.AUTH_EVENTS.name()),
                        consumed.withName(SOURCE_PROJECTION))
                .process(() -> new ProjectionProcessor(applier, retry, delay));

        KStream<String, Event<?>> calls = builder.stream(Topics.CALLS.name(),
                Consumed.with(Serdes.String(), EventSerde.INSTANCE)
                        .withTimestampExtractor(new ApiCallTimestampExtractor())
                        .withName(SOURCE_CALLS));
        // The topic is keyed client|user (ApiCall.key()), so counting by the record key needs no repartition.
        var perUser = calls.filter((k, v) -> k != null && v != null && v.data() instanceof ApiCall)
                .groupByKey(Grouped.with(Serdes.String(), EventSerde.INSTANCE));
        count(perUser, sink, retry, grace, usageKeep, ProjectionTopology::usageStore, RedisKeys::usageOfPair);

        // Per (app, API): one repartition by client|api. Calls without a client (no valid token) belong to no app.
        var perApi = calls.filter((k, v) -> v != null && v.data() instanceof ApiCall c && c.clientId() != null)
                .selectKey((k, v) -> RedisKeys.pair(((ApiCall) v.data()).clientId(), ((ApiCall) v.data()).api()))
                .groupByKey(Grouped.with(USAGE_API_REPARTITION, Serdes.String(), EventSerde.INSTANCE));
        count(perApi, sink, retry, grace, usageKeep, ProjectionTopology::apiUsageStore, RedisKeys::apiUsageOfPair);
        return builder.build();
    }

    private static void count(KGroupedStream<String, Event<?>> grouped, RedisSink sink, RedisRetry retry,
                              Duration grace, Duration usageKeep, Function<Window, String> store,
                              UsageProcessor.KeyLayout layout) {
        for (Window window : Window.values()) {
            Duration size = Duration.ofSeconds(window.seconds());
            grouped.windowedBy(TimeWindows.ofSizeAndGrace(size, grace))
                    .count(Materialized.<String, Long, WindowStore<Bytes, byte[]>>as(store.apply(window))
                            .withRetention(size.plus(grace)))
                    .toStream()
                    .process(() -> new UsageProcessor(sink, retry, window, usageKeep, layout));
        }
    }
}
