package io.tollgate.shared.topics;

import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventSerde;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.time.Duration;
import java.util.List;

/**
 * The topic catalogue (docs/events.md), defined once. Keys are strings; values are CloudEvents. The constants carry
 * the default layout ({@link TopicSettings#defaults()}); {@link #all(TopicSettings)} is the catalogue as a deployment
 * configures it (partitions, retention), which is what the services create and verify.
 */
public final class Topics {
    private static final Serde<String> KEY = Serdes.String();
    private static final int PARTITIONS = TopicSettings.DEFAULT_PARTITIONS;

    /** Login, refresh and revocation audit events, keyed by user id; kept 30 days. */
    public static final Topic<String, Event<?>> AUTH_EVENTS = new Topic<>("tollgate.auth-events", KEY,
            EventSerde.INSTANCE, PARTITIONS, Topic.Cleanup.DELETE, Duration.ofDays(30));

    /** Applications, plans and subscriptions, keyed {@code app:<client>}, {@code plan:<plan>}, {@code sub:<client>:<api>}. */
    public static final Topic<String, Event<?>> REGISTRY = new Topic<>("tollgate.registry", KEY,
            EventSerde.INSTANCE, 1, Topic.Cleanup.COMPACT, null);

    /** Entitlement and license decisions, keyed by user id. */
    public static final Topic<String, Event<?>> POLICY_DECISIONS = new Topic<>("tollgate.policy-decisions", KEY,
            EventSerde.INSTANCE, PARTITIONS, Topic.Cleanup.COMPACT, null);

    /** Revocations keyed by what they revoke ({@code Revocation.key()}). */
    public static final Topic<String, Event<?>> REVOCATIONS = new Topic<>("tollgate.revocations", KEY,
            EventSerde.INSTANCE, PARTITIONS, Topic.Cleanup.COMPACT, null);

    /** One {@code api.call} per gateway answer, keyed {@code <client>|<user>}; kept 7 days. */
    public static final Topic<String, Event<?>> CALLS = new Topic<>("tollgate.calls", KEY,
            EventSerde.INSTANCE, PARTITIONS, Topic.Cleanup.DELETE, Duration.ofDays(7));

    /** Records policy-worker could not process, with the reason in headers; kept 30 days. */
    public static final Topic<String, byte[]> POLICY_DEAD_LETTERS = new Topic<>("tollgate.policy-worker.dlq", KEY,
            Serdes.ByteArray(), 1, Topic.Cleanup.DELETE, Duration.ofDays(30));

    /** Every topic with the default layout, in creation order. */
    public static final List<Topic<?, ?>> ALL = List.of(AUTH_EVENTS, REGISTRY, POLICY_DECISIONS, REVOCATIONS, CALLS,
            POLICY_DEAD_LETTERS);

    /**
     * Every topic, in creation order, with the deployment's layout: the keyed event topics get
     * {@code settings.partitions()}, the delete-policy topics their retention; the registry and the dead-letter topic
     * keep their one partition.
     */
    public static List<Topic<?, ?>> all(TopicSettings settings) {
        int p = settings.partitions();
        return List.of(AUTH_EVENTS.withLayout(p, settings.authEventsRetention()), REGISTRY,
                POLICY_DECISIONS.withLayout(p, null), REVOCATIONS.withLayout(p, null),
                CALLS.withLayout(p, settings.callsRetention()),
                POLICY_DEAD_LETTERS.withLayout(POLICY_DEAD_LETTERS.partitions(), settings.deadLettersRetention()));
    }

    private Topics() {
    }
}
