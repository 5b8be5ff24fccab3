package io.tollgate.gateway.testing;

import io.tollgate.gateway.GatewayConfiguration;
import io.tollgate.gateway.GatewayServer;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventData;
import io.tollgate.shared.topics.Topics;
import io.tollgate.testkit.KafkaExtension;
import io.tollgate.testkit.RedisExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A gateway test class's world, as one JUnit extension: the shared broker, a Redis of the class's own, a token
 * issuer serving its JWKS, a recording upstream, and gateway nodes started against them (demo registry published,
 * projection ready). Before each test the upstream forgets what it received. A class registers it once:
 * <pre>{@code @RegisterExtension static final GatewayFixture FIXTURE = GatewayFixture.nodes("it-1");}</pre>
 */
public final class GatewayFixture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    /** Work done once the fixture's issuer, upstream, broker and Redis are up. */
    @FunctionalInterface
    public interface Step {
        void apply(GatewayFixture fixture) throws Exception;
    }

    /** A change to a node's configuration before it starts. */
    @FunctionalInterface
    public interface Configure {
        void apply(GatewayConfiguration config, GatewayFixture fixture) throws Exception;
    }

    private final KafkaExtension kafka = KafkaExtension.shared();
    private final RedisExtension redis = new RedisExtension();
    private final List<String> names;
    private final List<GatewayServer> nodes = new ArrayList<>();
    private Step beforeNodes = fixture -> {
    };
    private Configure configure = (config, fixture) -> {
    };
    private TestIssuer issuer;
    private RecordingUpstream upstream;

    private GatewayFixture(List<String> names) {
        this.names = List.copyOf(names);
    }

    /** One gateway node per name, each with {@link Gateways#config} under that node name. */
    public static GatewayFixture nodes(String... names) {
        return new GatewayFixture(List.of(names));
    }

    /** Runs once the issuer, upstream, broker and Redis are up, before any node starts (e.g. {@link #publish}). */
    public GatewayFixture beforeNodes(Step step) {
        this.beforeNodes = step;
        return this;
    }

    /** Changes every node's configuration before it starts. */
    public GatewayFixture configure(Configure step) {
        this.configure = step;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        kafka.beforeAll(context);
        redis.beforeAll(context);
        issuer = new TestIssuer();
        upstream = new RecordingUpstream();
        Gateways.prepare(kafka, redis);
        beforeNodes.apply(this);
        for (String name : names) {
            GatewayConfiguration config = Gateways.config(name, kafka, redis, issuer, upstream.uri());
            configure.apply(config, this);
            nodes.add(Gateways.start(config));
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        upstream.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            for (GatewayServer node : nodes) {
                node.stop();
            }
            nodes.clear();
            if (upstream != null) {
                upstream.close();
            }
            if (issuer != null) {
                issuer.close();
            }
        } finally {
            try {
                redis.afterAll(context);
            } finally {
                kafka.afterAll(context);
            }
        }
    }

    /** Publishes records to the registry topic (plans, applications, subscriptions, APIs). */
    public void publish(List<? extends EventData> records) throws Exception {
        try (var producer = kafka.producer(Topics.REGISTRY)) {
            URI source = URI.create("/tollgate/test/gateway-fixture");
            for (EventData data : records) {
                producer.send(new ProducerRecord<>(Topics.REGISTRY.name(), data.subject(), Event.of(source, data)))
                        .get();
            }
        }
    }

    public KafkaExtension kafka() {
        return kafka;
    }

    public RedisExtension redis() {
        return redis;
    }

    public TestIssuer issuer() {
        return issuer;
    }

    public RecordingUpstream upstream() {
        return upstream;
    }

    /** The first node. */
    public GatewayServer node() {
        return node(0);
    }

    /** The node of the {@code index}th name. */
    public GatewayServer node(int index) {
        return nodes.get(index);
    }

    /** The nodes, in the order of their names. */
    public List<GatewayServer> nodes() {
        return List.copyOf(nodes);
    }
}
