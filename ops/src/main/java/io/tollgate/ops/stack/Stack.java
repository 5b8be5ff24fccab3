package io.tollgate.ops.stack;

import io.tollgate.cli.ServiceSpec;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventSerde;
import io.tollgate.shared.kafka.KafkaFactory;
import io.tollgate.testkit.FreePorts;
import io.tollgate.shared.topics.TopicProvisioner;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local stack: Kafka, Redis, the identity provider (the demo LDAP directory, or the demo HTTP identity provider
 * with {@link StackConfig.Idp#HTTP}), the demo upstream and every built service, started in that order and each
 * awaited healthy; stopped services first, then Kafka, then what is in-process and Redis.
 */
public final class Stack implements AutoCloseable {
    private final StackConfig config;
    private final PrintStream out;
    private final KafkaPart kafka;
    private final RedisPart redis;
    private final LdapPart ldap;
    private final IdpPart httpIdp;
    private final UpstreamPart upstream;
    private final List<ServicePart> services = new ArrayList<>();
    private final List<ServicePart> notBuilt = new ArrayList<>();
    private final List<Part> started = new ArrayList<>();
    private final Map<String, Boolean> health = new LinkedHashMap<>();
    private PortalOutboxPrinter outbox;

    public Stack(StackConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
        this.kafka = new KafkaPart(config);
        this.redis = new RedisPart(config);
        this.ldap = new LdapPart(config);
        this.httpIdp = new IdpPart(config);
        this.upstream = new UpstreamPart(config);
        for (ServiceSpec spec : ServiceSpec.ALL) {
            ServicePart part = new ServicePart(spec, config);
            (part.built() ? services : notBuilt).add(part);
        }
    }

    /** Starts every part; returns true when all started parts are healthy. Throws if infrastructure fails. */
    public boolean start() throws Exception {
        Files.createDirectories(config.logs());
        checkPortsFree();
        checkConfigsExist();
        for (ServicePart part : notBuilt) {
            out.printf("%-18s NOT BUILT YET (no %s): skipped%n", part.name(),
                    config.root.relativize(ServiceSpec.named(part.name()).jar(config.root)));
        }
        startAndAwait(kafka);
        createTopicsAndSeed();
        startAndAwait(redis);
        startAndAwait(identityPart());
        startAndAwait(upstream);
        if (config.startServicesTogether && services.size() > 1) {
            startAndAwait(services.get(0)); // token-api first: the gateways fetch its JWKS
            List<ServicePart> rest = services.subList(1, services.size());
            long began = System.nanoTime();
            for (ServicePart part : rest) {
                out.printf("%-18s starting...%n", part.name());
                started.add(part);
                part.start();
            }
            awaitHealthy(rest, began);
        } else {
            for (ServicePart service : services) {
                startAndAwait(service);
            }
        }
        outbox = new PortalOutboxPrinter(PortalOutboxPrinter.outbox(config), out).start();
        return health.values().stream().allMatch(Boolean::booleanValue);
    }

    private void checkPortsFree() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        if (config.externalKafka == null) {
            ports.put("kafka", config.kafkaPort);
            ports.put("kafka controller", config.kafkaControllerPort);
        }
        if (config.idp == StackConfig.Idp.HTTP) {
            ports.put("http identity provider", config.idpPort);
        } else {
            ports.put("ldap", config.ldapPort);
        }
        ports.put("demo upstream", config.upstreamPort);
        for (ServicePart service : services) {
            ServiceSpec spec = ServiceSpec.named(service.name());
            if (spec.portOverride() != null) {
                ports.put(spec.module(), config.port(spec.module()));
            }
            ports.put(spec.module() + " admin", config.adminPort(spec.module()));
        }
        Map<Integer, String> byPort = new LinkedHashMap<>();
        ports.forEach((name, port) -> {
            String other = byPort.putIfAbsent(port, name);
            if (other != null) {
                throw new IllegalStateException(other + " and " + name + " are both configured on port " + port);
            }
        });
        List<String> busy = new ArrayList<>();
        ports.forEach((name, port) -> {
            if (FreePorts.isListening(port)) {
                busy.add(name + " " + config.host + ":" + port);
            }
        });
        if (!busy.isEmpty()) {
            throw new IllegalStateException("ports already in use (another stack running? stop it, or override the "
                    + "ports): " + String.join(", ", busy));
        }
    }

    private Part identityPart() {
        return config.idp == StackConfig.Idp.HTTP ? httpIdp : ldap;
    }

    private void checkConfigsExist() {
        for (ServicePart service : services) {
            Path yaml = config.serviceConfig(ServiceSpec.named(service.name()));
            if (!Files.isRegularFile(yaml)) {
                throw new IllegalStateException("no " + config.root.relativize(yaml) + " for " + service.name()
                        + " (identity provider " + config.idp.name().toLowerCase(java.util.Locale.ROOT) + ")");
            }
        }
    }

    /**
     * The demo HTTP identity provider of a stack started with {@link StackConfig.Idp#HTTP}, for tests in the
     * launcher's JVM (take it down, slow it, disable a user); throws for an LDAP stack or before the start.
     */
    public DemoIdentityProvider httpIdentityProvider() {
        DemoIdentityProvider provider = httpIdp.provider();
        if (provider == null) {
            throw new IllegalStateException("this stack runs no HTTP identity provider (identity provider "
                    + config.idp + ")");
        }
        return provider;
    }

    private void startAndAwait(Part part) throws Exception {
        out.printf("%-18s starting...%n", part.name());
        long began = System.nanoTime();
        started.add(part);
        part.start();
        long deadline = began + config.startTimeout.toNanos();
        boolean ok = false;
        while (System.nanoTime() < deadline && !part.exited()) {
            if (part.healthy()) {
                ok = true;
                break;
            }
            Thread.sleep(250);
        }
        health.put(part.name(), ok);
        long ms = Duration.ofNanos(System.nanoTime() - began).toMillis();
        if (ok) {
            out.printf("%-18s healthy in %d ms  %s%n", part.name(), ms, part.endpoint());
        } else {
            out.printf("%-18s FAILED (%s after %d ms); see %s%n", part.name(),
                    part.exited() ? "process exited" : "not healthy", ms, part.log());
            if (!(part instanceof ServicePart)) {
                throw new IllegalStateException(part.name() + " did not become healthy; see " + part.log());
            }
        }
    }

    private void createTopicsAndSeed() throws Exception {
        try (Admin admin = kafka.admin()) {
            new TopicProvisioner(admin, kafka.replicationFactor(), kafka.minInsyncReplicas()).ensure(Topics.ALL, 30_000);
        }
        KafkaFactory factory = new KafkaFactory();
        factory.bootstrapServers = config.kafkaBootstrap();
        factory.deliveryTimeout = Duration.ofSeconds(60);
        try (Producer<String, Event<?>> producer = new KafkaProducer<>(factory.producerProperties("ops-stack-seed"),
                new StringSerializer(), EventSerde.INSTANCE.serializer())) {
            DemoRegistry.publish(producer, Event.source("ops", config.node));
            // API mobile, routed by every gateway to the demo upstream this stack runs
            DemoRegistry.publishApi(producer, Event.source("ops", config.node), config.upstreamUrl());
        }
        out.printf("%-18s topics %s ready; demo registry published (client %s, subscription %s, API %s at %s -> %s)%n",
                "kafka", Topics.ALL.size(), DemoRegistry.CLIENT_ID, DemoRegistry.SUBSCRIPTION_ID, DemoRegistry.API,
                DemoRegistry.API_PREFIX, config.upstreamUrl());
    }

    /**
     * Starts one more node of {@code module} (e.g. a second gateway) on its own ports with node name
     * {@code node}, and waits until it is healthy; {@link #close()} stops it with the rest.
     */
    public void startNode(String module, String node, int port, int adminPort) throws Exception {
        ServicePart part = new ServicePart(ServiceSpec.named(module), config, module + "-" + node, node, port, adminPort);
        startAndAwait(part);
        if (!health.get(part.name())) {
            throw new IllegalStateException(part.name() + " did not become healthy; see " + part.log());
        }
    }

    /** One more node of a service for {@link #startNodes}: module, node name, main and admin port. */
    public record Node(String module, String node, int port, int adminPort) {
    }

    /**
     * Starts several more service nodes at once and waits until every one is healthy: on a small machine a
     * multi-node stack boots faster with the JVMs overlapping than one after the other. Throws if one is not.
     */
    public void startNodes(List<Node> nodes) throws Exception {
        List<ServicePart> parts = new ArrayList<>();
        for (Node n : nodes) {
            parts.add(new ServicePart(ServiceSpec.named(n.module()), config, n.module() + "-" + n.node(), n.node(),
                    n.port(), n.adminPort()));
        }
        long began = System.nanoTime();
        for (ServicePart part : parts) {
            out.printf("%-18s starting...%n", part.name());
            started.add(part);
            part.start();
        }
        requireHealthy(awaitHealthy(parts, began));
    }

    /** SIGKILL to the JVM of the service part {@code name} (as in {@link #servicePids()}): a crash, no graceful stop. */
    public void kill(String name) {
        service(name).kill();
        health.put(name, false);
        out.printf("%-18s killed (SIGKILL)%n", name);
    }

    /** Starts killed service parts again, all at once, and waits until every one is healthy. */
    public void restart(String... names) throws Exception {
        List<ServicePart> parts = new ArrayList<>();
        long began = System.nanoTime();
        for (String name : names) {
            ServicePart part = service(name);
            out.printf("%-18s restarting...%n", name);
            part.restart();
            parts.add(part);
        }
        requireHealthy(awaitHealthy(parts, began));
    }

    private ServicePart service(String name) {
        for (Part part : started) {
            if (part instanceof ServicePart service && service.name().equals(name)) {
                return service;
            }
        }
        throw new IllegalArgumentException("no started service part " + name + "; started: " + servicePids().keySet());
    }

    /** Waits until every part is healthy or the start timeout passed; returns (and prints) those that are not. */
    private List<ServicePart> awaitHealthy(List<ServicePart> parts, long began) throws InterruptedException {
        long deadline = began + config.startTimeout.toNanos();
        List<ServicePart> waiting = new ArrayList<>(parts);
        while (!waiting.isEmpty() && System.nanoTime() < deadline && waiting.stream().noneMatch(ServicePart::exited)) {
            waiting.removeIf(part -> {
                if (!part.healthy()) {
                    return false;
                }
                health.put(part.name(), true);
                out.printf("%-18s healthy in %d ms  %s%n", part.name(),
                        Duration.ofNanos(System.nanoTime() - began).toMillis(), part.endpoint());
                return true;
            });
            if (!waiting.isEmpty()) {
                Thread.sleep(250);
            }
        }
        for (ServicePart part : waiting) {
            health.put(part.name(), false);
            out.printf("%-18s FAILED (%s after %d ms); see %s%n", part.name(), part.exited() ? "process exited"
                    : "not healthy", Duration.ofNanos(System.nanoTime() - began).toMillis(), part.log());
        }
        return waiting;
    }

    private static void requireHealthy(List<ServicePart> failed) {
        if (!failed.isEmpty()) {
            throw new IllegalStateException(failed.stream().map(Part::name).toList() + " did not become healthy; see "
                    + failed.stream().map(Part::log).toList());
        }
    }

    /** Process ids of the running services by part name (services are child JVMs). */
    public Map<String, Long> servicePids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (Part part : started) {
            if (part instanceof ServicePart service) {
                pids.put(service.name(), service.pid());
            }
        }
        return pids;
    }

    /** Health of every started part, probed now. */
    public Map<String, Boolean> probe() {
        Map<String, Boolean> now = new LinkedHashMap<>();
        for (Part part : started) {
            now.put(part.name(), part.healthy());
        }
        return now;
    }

    public List<String> notBuilt() {
        return notBuilt.stream().map(Part::name).toList();
    }

    public void printSummary() {
        String gateway = "http://" + config.host + ":" + config.port("gateway");
        out.println();
        out.println("Tollgate local stack");
        out.printf("  %-18s %-8s %-60s %s%n", "PART", "STATUS", "ENDPOINT", "LOG");
        for (Part part : started) {
            out.printf("  %-18s %-8s %-60s %s%n", part.name(), health.getOrDefault(part.name(), false) ? "healthy" : "FAILED",
                    part.endpoint(), part.log());
        }
        for (ServicePart part : notBuilt) {
            out.printf("  %-18s %-8s %s%n", part.name(), "absent", "not built yet: run mvn -B -DskipTests package");
        }
        out.println();
        out.println("Log in as alice (password grant, demo public client):");
        out.printf("  curl -s -d grant_type=password -d client_id=%s -d username=alice -d password=alice-secret %s/oauth2/token%n",
                DemoRegistry.CLIENT_ID, config.issuer());
        if (config.idp == StackConfig.Idp.HTTP) {
            out.println("Ask the demo HTTP identity provider directly (its contract is in README.md):");
            out.printf("  curl -s -H 'Content-Type: application/json' -d '{\"username\":\"alice\",\"password\":\"alice-secret\"}' %s%n",
                    config.idpUrl());
            out.printf("  curl -s %s%n", config.idpProfileUrl().replace("{sub}", "alice"));
        }
        out.println("Call the API through the gateway with the access token:");
        out.printf("  TOKEN=$(curl -s -d grant_type=password -d client_id=%s -d username=alice -d password=alice-secret "
                + "%s/oauth2/token | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')%n", DemoRegistry.CLIENT_ID,
                config.issuer());
        out.printf("  curl -s -H \"Authorization: Bearer $TOKEN\" %s/mobile/hello%n", gateway);
        out.println("The demo service client (client credentials grant, confidential client, no user):");
        out.printf("  curl -s -u %s:%s -d grant_type=client_credentials %s/oauth2/token%n",
                DemoRegistry.SERVICE_CLIENT_ID, DemoRegistry.SERVICE_CLIENT_SECRET, config.issuer());
        out.printf("Developer portal: %s/portal/ (demo app owner demo@example.test / demo-portal-pass). A sign-up's "
                + "verification mail is written to %s and printed here.%n", config.issuer(),
                PortalOutboxPrinter.outbox(config));
        out.println("Operate (demo operator ops / ops-secret: token-api's operator API and every admin port's tasks):");
        out.println("  TOLLGATE_OPERATOR_PASSWORD=ops-secret ops/tollgate rebuild-projection -u ops");
        out.printf("  curl -s -u ops:ops-secret -X POST http://%s:%d/tasks/rebuild-projection%n", config.host,
                config.adminPort("revocation-stream"));
        out.println();
    }

    /** Services first (newest first), then the upstream, Kafka (gracefully), the identity provider and Redis if this stack started it. */
    @Override
    public void close() {
        if (outbox != null) {
            outbox.close();
        }
        List<Part> order = new ArrayList<>();
        for (int i = started.size() - 1; i >= 0; i--) {
            if (started.get(i) instanceof ServicePart) {
                order.add(started.get(i));
            }
        }
        order.add(upstream);
        order.add(kafka);
        order.add(ldap);
        order.add(httpIdp);
        order.add(redis);
        for (Part part : order) {
            if (!started.contains(part)) {
                continue;
            }
            long began = System.nanoTime();
            try {
                part.stop();
                out.printf("%-18s stopped in %d ms%n", part.name(), Duration.ofNanos(System.nanoTime() - began).toMillis());
            } catch (RuntimeException e) {
                out.printf("%-18s stop failed: %s%n", part.name(), e.getMessage());
            }
        }
        started.clear();
    }
}
