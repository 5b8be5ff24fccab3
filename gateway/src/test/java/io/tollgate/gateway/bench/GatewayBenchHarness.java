package io.tollgate.gateway.bench;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.util.Duration;
import io.tollgate.gateway.GatewayConfiguration;
import io.tollgate.gateway.GatewayServer;
import io.tollgate.gateway.config.ListenerTlsFactory;
import io.tollgate.gateway.core.Pipeline;
import io.tollgate.gateway.core.RouteTable;
import io.tollgate.gateway.proxy.ProxyServer;
import io.tollgate.gateway.steps.RouteMatchStep;
import io.tollgate.gateway.testing.DpopKeys;
import io.tollgate.gateway.testing.Gateways;
import io.tollgate.gateway.testing.TestIssuer;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.testkit.KafkaCluster;
import io.tollgate.testkit.RedisServer;
import io.tollgate.shared.topics.TopicProvisioner;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import redis.clients.jedis.Jedis;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Benchmark stand-in for the stack: a real KRaft broker and Redis (the test fixtures), the demo registry
 * with a subscription moved to an effectively unlimited plan (so wrk measures admitted, proxied calls),
 * a JWKS endpoint with a test key, {@code n} distinct valid tokens written to a file, and one gateway node
 * in front of {@code upstream}. Prints {@code READY <port>} and runs until killed.
 *
 * <p>Args: upstreamUrl tokensFile tokenCount gatewayPort. With {@code -Dbench.tlsChain=<PEM>} and
 * {@code -Dbench.tlsKey=<PKCS#8 PEM>} the gateway's listener speaks TLS ({@code proxy.tls}) and the warm-up
 * trusts the chain's certificates. With {@code -Dbench.dpopKey=<file>} every token also has a DPoP-bound twin
 * ({@code cnf.jkt}, as token-api binds them) written to {@code <tokensFile>.dpop}, bound to a P-256 key made at
 * start whose private JWK is written to that file for {@link DpopProofFiles}; the warm-up presents each bound token
 * with the DPoP scheme and a proof. With {@code -Dbench.floor=true} it runs the floor instead: the same proxy with its
 * pipeline off ({@link #floor}); the tokens file and count are then not used.
 */
public final class GatewayBenchHarness {
    public static void main(String[] args) throws Exception {
        URI upstream = URI.create(args[0]);
        Path tokensFile = Path.of(args[1]);
        int count = Integer.parseInt(args[2]);
        int port = Integer.parseInt(args[3]);

        if (Boolean.getBoolean("bench.floor")) {
            floor(upstream, port);
            return;
        }
        KafkaCluster kafka = KafkaCluster.create(1).start();
        RedisServer redis = RedisServer.create().start();
        TestIssuer issuer = new TestIssuer();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            redis.close();
            kafka.close();
        }));
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin a = Admin.create(admin)) {
            new TopicProvisioner(a, (short) 1, 1).ensure(Topics.ALL, 60_000);
        }
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (var producer = new KafkaProducer<>(producerProps, Topics.REGISTRY.keySerde().serializer(),
                Topics.REGISTRY.valueSerde().serializer())) {
            URI source = URI.create("/tollgate/bench/harness");
            DemoRegistry.publish(producer, source);
            PlanRecord bench = new PlanRecord("bench", "mobile", "Bench", Set.of("read", "write"), Boolean.getBoolean("bench.noRateLimit") ? 0 : 1_000_000_000L, 0,
                    0, 1_000_000, false, DemoRegistry.GRANT_TYPES);
            SubscriptionRecord sub = new SubscriptionRecord(DemoRegistry.SUBSCRIPTION_ID, DemoRegistry.APPLICATION_ID,
                    DemoRegistry.CLIENT_ID, "mobile", "bench", SubscriptionRecord.Status.APPROVED, Instant.now());
            producer.send(new ProducerRecord<>(Topics.REGISTRY.name(), bench.subject(), Event.of(source, bench))).get();
            producer.send(new ProducerRecord<>(Topics.REGISTRY.name(), sub.subject(), Event.of(source, sub))).get();
        }
        try (Jedis jedis = redis.jedis()) {
            jedis.hset(RedisKeys.PROJECTION, RedisKeys.PROJECTION_STATE_FIELD, RedisKeys.PROJECTION_READY);
        }
        String dpopKeyFile = System.getProperty("bench.dpopKey");
        DpopKeys dpop = dpopKeyFile == null ? null : new DpopKeys();
        if (dpop != null) {
            Files.writeString(Path.of(dpopKeyFile), dpop.privateJson());
        }
        List<String> tokens = new ArrayList<>(count);
        List<String> bound = new ArrayList<>(count);
        writeTokens(issuer, dpop, count, tokensFile, tokens, bound);

        GatewayConfiguration config = new GatewayConfiguration();
        config.node = "bench";
        config.events.enabled = !Boolean.getBoolean("bench.noEvents");
        config.proxy.port = port;
        config.proxy.ioThreads = Integer.getInteger("bench.ioThreads", 0);
        config.routes = List.of(Gateways.route("mobile", "/mobile/", upstream));
        String tlsChain = tls(config);
        config.tokens.jwksUrl = issuer.jwksUri();
        config.tokens.issuer = TestIssuer.ISSUER;
        config.tokens.clockSkew = Duration.seconds(30);
        config.redis.host = redis.host();
        config.redis.port = redis.port();
        config.kafka.bootstrapServers = kafka.bootstrapServers();
        GatewayServer gateway = new GatewayServer(config, new MetricRegistry());
        gateway.start();
        if (!gateway.awaitReady(java.time.Duration.ofSeconds(60))) {
            System.out.println("NOT-READY");
            System.exit(1);
        }
        // Every token through the gateway once, so the measurement sees the steady state (a verified-token
        // cache hit per call) rather than the 1,000 first signature verifications.
        var http = tlsChain == null ? java.net.http.HttpClient.newHttpClient()
                : java.net.http.HttpClient.newBuilder().sslContext(trusting(Path.of(tlsChain))).build();
        String base = (tlsChain == null ? "http" : "https") + "://127.0.0.1:" + gateway.port();
        String url = base + "/mobile/bench";
        List<java.net.http.HttpRequest> warmUp = new ArrayList<>();
        for (String token : tokens) {
            warmUp.add(java.net.http.HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + token).build());
        }
        for (String token : bound) {
            warmUp.add(java.net.http.HttpRequest.newBuilder(URI.create(url)).header("Authorization", "DPoP " + token)
                    .header("DPoP", dpop.proof("GET", url, token)).build());
        }
        for (var request : warmUp) {
            int status = http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 200) {
                System.out.println("NOT-READY warm-up answered " + status);
                System.exit(1);
            }
        }
        System.out.println("READY " + gateway.port());
        System.out.flush();
        Thread.currentThread().join();
    }

    /**
     * The floor: the same proxy (entrance, route match, outbound side, upstream pool) with every check off: no token
     * verification, token state, subscription, scope, rate limit, identity headers, metrics or {@code api.call}
     * events, so neither Redis nor Kafka. Only this harness builds it: no configuration reaches it.
     */
    private static void floor(URI upstream, int port) throws Exception {
        GatewayConfiguration config = new GatewayConfiguration();
        config.proxy.port = port;
        config.proxy.ioThreads = Integer.getInteger("bench.ioThreads", 0);
        config.routes = List.of(Gateways.route("mobile", "/mobile/", upstream));
        tls(config);
        RouteTable routes = new RouteTable(config.routes, config.routeDefaults);
        ProxyServer proxy = config.proxy.build(routes);
        proxy.start(new Pipeline(List.of(new RouteMatchStep(routes))), (exchange, status, outcome, upstreamNanos) -> { });
        System.out.println("READY " + proxy.port());
        System.out.flush();
        Thread.currentThread().join();
    }

    /** The listener's TLS from {@code bench.tlsChain} and {@code bench.tlsKey}; returns the chain (null: plain). */
    private static String tls(GatewayConfiguration config) {
        String tlsChain = System.getProperty("bench.tlsChain");
        if (tlsChain != null) {
            ListenerTlsFactory tls = new ListenerTlsFactory();
            tls.certificateChain = tlsChain;
            tls.privateKey = System.getProperty("bench.tlsKey");
            config.proxy.tls = tls;
        }
        return tlsChain;
    }

    /** {@code count} distinct valid tokens to {@code tokensFile} (with DPoP: bound twins to {@code .dpop}). */
    private static void writeTokens(TestIssuer issuer, DpopKeys dpop, int count, Path tokensFile, List<String> tokens,
                                    List<String> bound) throws Exception {
        for (int i = 0; i < count; i++) {
            // valid for two hours (the test default is five minutes): a long or repeated run must not turn
            // into a measurement of 401s, each of which costs a signature verification
            var claims = TestIssuer.claims("bench-user-" + i, "read")
                    .expirationTime(java.util.Date.from(Instant.now().plusSeconds(7_200)));
            tokens.add(issuer.sign(claims.build()));
            if (dpop != null) {
                bound.add(issuer.sign(claims.claim("cnf", Map.of("jkt", dpop.jkt())).build()));
            }
        }
        if (dpop != null) {
            Files.write(Path.of(tokensFile + ".dpop"), bound);
        }
        Files.write(tokensFile, tokens);
    }

    /** A client context trusting the certificates of a PEM file (the script's self-signed one). */
    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (var in = Files.newInputStream(pem)) {
            int i = 0;
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("c" + i++, certificate);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
