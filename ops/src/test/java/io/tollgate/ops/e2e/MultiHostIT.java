package io.tollgate.ops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.tollgate.cli.TollgateCli;
import io.tollgate.ops.e2e.ClusterLoad.Login;
import io.tollgate.ops.e2e.ClusterLoad.Routing;
import io.tollgate.ops.e2e.ClusterLoad.User;
import io.tollgate.shared.crypto.PasswordHashes;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventSerde;
import io.tollgate.shared.json.Json;
import io.tollgate.shared.kafka.KafkaFactory;
import io.tollgate.shared.keys.KeySetFile;
import io.tollgate.testkit.ChildProcess;
import io.tollgate.testkit.Hosts;
import io.tollgate.testkit.KafkaCluster;
import io.tollgate.testkit.LdapDirectory;
import io.tollgate.testkit.TestCertificates;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;
import redis.clients.jedis.Jedis;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.FileOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tollgate.ops.e2e.ClusterLoad.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production shape on three hosts (network namespaces {@code a}, {@code b}, {@code c} on a bridge, made and
 * removed by the test; skipped with one line where the machine does not allow them), every service started from
 * the unpacked distribution tarball ({@code bin/tollgate-<service>}, its {@code config/<service>.yml} production
 * template, environment variables only; {@link ServiceLauncher}) and reaching Redis through the Sentinels:
 *
 * <pre>
 *   host a: Kafka broker 1, Redis primary, Sentinel, token-api, gateway (TLS)
 *   host b: Kafka broker 2, Redis replica, Sentinel, gateway (TLS), policy-worker, revocation-stream
 *   host c: Kafka broker 3, Sentinel, token-api, policy-worker, revocation-stream, the HTTPS upstream
 *   runner: the LDAP directory (LDAPS), the load, the operator
 * </pre>
 *
 * Brokers are KRaft nodes with a quorum across the hosts, SASL_SSL listeners (SCRAM-SHA-512 per service
 * principal, certificates naming the hosts' addresses) and the ACLs {@code tollgate kafka-setup --apply} grants;
 * topics at replication factor 3 and {@code min.insync.replicas} 2. Under a login and call load through both
 * gateways ({@link ClusterLoad}, with a load balancer's retry), host b's link is cut for 20 s: operator revocations
 * made meanwhile on the surviving token-api must be refused by the surviving gateway within 100 ms (p99, from the
 * revocation's answer to the first 401), and a signing-key rotation (generate and publish before the cut, promote
 * during it) must not cost a valid token a 401. Once the link is back everything converges to exact counts
 * ({@link Ledger}), the Redis replica catches up and every partition has its three replicas in sync again. Then
 * host a, which holds the Redis primary, is cut off: the Sentinels promote b's replica and every service follows it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiHostIT {
    private static final int THREADS = Integer.getInteger("tollgate.multihost.threads", 3);
    private static final long THINK_MILLIS = Long.getLong("tollgate.multihost.thinkMillis", 20);
    private static final int BENCH_USERS = 3_000;
    private static final int WARM_USERS = 30;
    private static final int AFTER_USERS = 20;
    private static final int REVOKED_DURING_CUT = 20;
    private static final Duration CUT = Duration.ofSeconds(20);
    /** The required bound for an operator revocation to reach the surviving gateways (p99). */
    private static final long REVOCATION_P99_MILLIS = 100;
    private static final Duration PATIENCE = Duration.ofSeconds(150);
    private static final String OPERATOR = "ops";
    private static final String OPERATOR_PASSWORD = "ops-multihost-secret";
    private static final int REDIS_PORT = 6379;
    private static final int SENTINEL_PORT = 26379;
    private static final String SENTINEL_MASTER = "tollgate";
    /** The bench user of the Redis failover's first login (the load's users are numbered from 1). */
    private static final int FAILOVER_USER = BENCH_USERS - 1;
    private static final int UPSTREAM_PORT = 9443;
    private static final String ISSUER = "https://login.tollgate.test";
    private static final Map<String, Integer> ADMIN_PORTS = Map.of("token-api", 8081, "policy-worker", 8086,
            "revocation-stream", 8088, "gateway", 8001);
    /** Which host runs which service. */
    private static final Map<String, List<String>> PLACEMENT = new LinkedHashMap<>();

    static {
        PLACEMENT.put("token-api", List.of("a", "c"));
        PLACEMENT.put("policy-worker", List.of("b", "c"));
        PLACEMENT.put("revocation-stream", List.of("b", "c"));
        PLACEMENT.put("gateway", List.of("a", "b"));
    }

    private static Path dir;
    private static Hosts hosts;
    private static KafkaCluster kafka;
    private static LdapDirectory ldap;
    private static final Map<String, String> KAFKA_USERS = new LinkedHashMap<>();
    private static final Map<String, ChildProcess> PROCESSES = new LinkedHashMap<>();
    /** Restarts of a service instance that exited while starting. */
    private static final Map<String, Integer> STARTS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int START_ATTEMPTS = 3;
    private static final List<String> TOKEN_APIS = new ArrayList<>();
    private static final List<String> GATEWAYS = new ArrayList<>();
    private static HttpClient http;
    private static EventTally tally;
    private static Ledger ledger;
    private static Path keyFile;

    @BeforeAll
    static void boot() throws Exception {
        dir = Files.createTempDirectory("tollgate-multihost-");
        hosts = Hosts.create("a", "b", "c"); // aborts the test with one line where namespaces are not allowed
        long t0 = System.nanoTime();
        ServiceLauncher launcher = ServiceLauncher.unpack(Path.of(System.getProperty(ServiceLauncher.TARBALL)),
                dir.resolve("dist"), hosts, dir.resolve("logs"), "256m");
        TestCertificates.Authority ca = TestCertificates.authority("tollgate-multihost-ca");
        Path caBundle = ca.writePem(dir.resolve("ca.pem"));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .sslContext(trusting(ca)).build();

        // Kafka: one broker per host, SASL_SSL with a SCRAM user per service; topics and ACLs by the CLI.
        for (String role : List.of("token-api", "policy-worker", "revocation-stream", "gateway", "auditor")) {
            KAFKA_USERS.put("tollgate-" + role, role + "-" + Long.toHexString(Double.doubleToLongBits(Math.random())));
        }
        kafka = KafkaCluster.create(3).onHosts(hosts, "a", "b", "c").withSaslScramSsl(KAFKA_USERS, ca)
                .start(Duration.ofSeconds(240));
        CliResult setup = cli(Map.of("TOLLGATE_KAFKA_BOOTSTRAP", kafka.bootstrapServers()), "kafka-setup", "--apply",
                "--replication-factor", "3", "--min-insync-replicas", "2");
        assertThat(setup.code()).as(setup.err()).isZero();
        String upstream = "https://" + hosts.address("c") + ":" + UPSTREAM_PORT;
        publishRegistry(upstream);

        // Redis: primary on a, replica on b, a Sentinel on every host (quorum 2).
        String primary = hosts.address("a");
        List<String> sentinels = new ArrayList<>();
        start("redis-a", "a", redisServer(hosts.address("a"), REDIS_PORT));
        List<String> replica = new ArrayList<>(redisServer(hosts.address("b"), REDIS_PORT));
        replica.addAll(List.of("--replicaof", primary, Integer.toString(REDIS_PORT)));
        start("redis-b", "b", replica);
        for (String host : List.of("a", "b", "c")) {
            start("sentinel-" + host, host, sentinel(host, primary));
            sentinels.add(hosts.address(host) + ":" + SENTINEL_PORT);
        }

        // The directory (LDAPS) in the runner, reached by the hosts through the bridge.
        ldap = LdapDirectory.demoOverTls(ca.issue(hosts.runnerAddress()).keyManager(),
                InetAddress.getByName(hosts.runnerAddress())).addBenchUsers(BENCH_USERS);

        // The HTTPS upstream on c, certificates for the gateways' listeners, the key set file, the operator.
        start("upstream-c", "c", ChildProcess.java("64m", List.of(), TlsUpstreamMain.class.getName(), List.of(
                hosts.address("c"), Integer.toString(UPSTREAM_PORT), keyStore(ca.issue(hosts.address("c")), "c")
                        .toString(), "upstream-store")));
        keyFile = dir.resolve("keys.json");
        CliResult init = cli(Map.of("TOLLGATE_KEYS_FILE", keyFile.toString()), "keys", "init", "--alg", "RS256");
        assertThat(init.code()).as(init.err()).isZero();
        String operatorHash = PasswordHashes.hash(OPERATOR_PASSWORD);

        for (Map.Entry<String, List<String>> service : PLACEMENT.entrySet()) {
            for (String host : service.getValue()) {
                String module = service.getKey();
                Map<String, String> env = new LinkedHashMap<>();
                env.put("TOLLGATE_NODE", module + "-" + host);
                env.put("TOLLGATE_KAFKA_BOOTSTRAP", kafka.saslSslBootstrapServers());
                // its own SCRAM user over SASL_SSL (the templates' default protocol), the brokers' CA
                env.put("TOLLGATE_KAFKA_USERNAME", "tollgate-" + module);
                env.put("TOLLGATE_KAFKA_PASSWORD", KAFKA_USERS.get("tollgate-" + module));
                env.put("TOLLGATE_KAFKA_CA_BUNDLE", caBundle.toString());
                // the primary as the Sentinels name it (no fixed address: empty, not inherited from the runner)
                env.put("TOLLGATE_REDIS_HOST", "");
                env.put("TOLLGATE_REDIS_SENTINEL_MASTER", SENTINEL_MASTER);
                env.put("TOLLGATE_REDIS_SENTINELS", String.join(",", sentinels));
                env.put("TOLLGATE_OPERATOR_NAME", OPERATOR);
                env.put("TOLLGATE_OPERATOR_PASSWORD_HASH", operatorHash);
                env.put("TOLLGATE_ISSUER", ISSUER);
                env.put("TOLLGATE_LOG_FORMAT", "text");
                if (module.equals("token-api") || module.equals("policy-worker")) {
                    env.put("TOLLGATE_LDAP_URLS", "ldaps://" + hosts.runnerAddress() + ":" + ldap.port("ldaps"));
                    env.put("TOLLGATE_LDAP_SECURITY", "ldaps");
                    env.put("TOLLGATE_LDAP_CA_BUNDLE", caBundle.toString());
                    env.put("TOLLGATE_LDAP_BIND_DN", LdapDirectory.ADMIN_DN);
                    env.put("TOLLGATE_LDAP_BIND_PASSWORD", LdapDirectory.ADMIN_PASSWORD);
                    env.put("TOLLGATE_LDAP_USER_BASE_DN", LdapDirectory.USERS_DN);
                    env.put("TOLLGATE_LDAP_GROUP_BASE_DN", LdapDirectory.GROUPS_DN);
                }
                if (module.equals("token-api")) {
                    env.put("TOLLGATE_KEYS_FILE", keyFile.toString());
                    env.put("TOLLGATE_SMTP_HOST", hosts.runnerAddress());
                    env.put("TOLLGATE_MAIL_FROM", "tollgate@tollgate.test");
                }
                if (module.equals("revocation-stream")) {
                    env.put("TOLLGATE_DATA_DIR", dir.resolve("data-" + host).toString());
                }
                if (module.equals("gateway")) {
                    TestCertificates.Leaf leaf = ca.issue(hosts.address(host));
                    env.put("TOLLGATE_GATEWAY_TLS_CERT", Files.writeString(dir.resolve("gateway-" + host + ".crt"),
                            TestCertificates.pem(leaf.certificate()) + TestCertificates.pem(leaf.issuer())).toString());
                    env.put("TOLLGATE_GATEWAY_TLS_KEY", Files.writeString(dir.resolve("gateway-" + host + ".key"),
                            "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                                    .encodeToString(leaf.keys().getPrivate().getEncoded())
                                    + "\n-----END PRIVATE KEY-----\n").toString());
                    env.put("TOLLGATE_UPSTREAM_CA_BUNDLE", caBundle.toString());
                    String jwksFrom = host.equals("a") ? "a" : "c";
                    env.put("TOLLGATE_JWKS_URL", "http://" + hosts.address(jwksFrom) + ":8080/oauth2/jwks");
                }
                ChildProcess process = launcher.service(module, host, env);
                PROCESSES.put(module + "-" + host, process);
            }
            if (service.getKey().equals("token-api")) {
                startAndAwait("token-api"); // the gateways fetch its JWKS when they start
            }
        }
        for (String module : List.of("policy-worker", "revocation-stream", "gateway")) {
            startAndAwait(module);
        }
        PLACEMENT.get("token-api").forEach(h -> TOKEN_APIS.add("http://" + hosts.address(h) + ":8080"));
        PLACEMENT.get("gateway").forEach(h -> GATEWAYS.add("https://" + hosts.address(h) + ":8443"));
        tally = new EventTally(kafka.bootstrapServers());
        ledger = new Ledger(tally, MultiHostIT::redis, PATIENCE);
        System.out.printf("multi-host stack: %s; brokers %s; Sentinels %s; services from %s; every service healthy "
                        + "after %d ms (restarted while starting: %s; load %s); logs in %s%n", hosts,
                kafka.saslSslBootstrapServers(), sentinels, launcher.home(),
                Duration.ofNanos(System.nanoTime() - t0).toMillis(), STARTS, loadAverage(), dir.resolve("logs"));
    }

    @AfterAll
    static void tearDown() {
        if (tally != null) {
            tally.close();
        }
        List<String> names = new ArrayList<>(PROCESSES.keySet());
        java.util.Collections.reverse(names);
        names.forEach(name -> PROCESSES.get(name).kill());
        PROCESSES.values().forEach(ChildProcess::close);
        if (kafka != null) {
            kafka.close();
        }
        if (ldap != null) {
            ldap.close();
        }
        if (hosts != null) {
            hosts.close();
        }
        if (dir != null && !Boolean.getBoolean("tollgate.multihost.keep")) {
            deleteRecursively(dir);
        }
    }

    @Test
    @Order(1)
    void aHostCutFor20sUnderLoadCostsNoRequestAndNoEventAndRevocationsReachTheSurvivorsAtOnce() throws Exception {
        long began = System.nanoTime();
        String survivor = GATEWAYS.get(0);
        String cutGateway = GATEWAYS.get(1);
        String oldKid = KeySetFile.read(keyFile).active().orElseThrow().kid();
        ClusterLoad load = new ClusterLoad(http, TOKEN_APIS, GATEWAYS, Routing.ROUND_ROBIN, 1, BENCH_USERS,
                THINK_MILLIS).start(THREADS);
        load.awaitMoreUsers(WARM_USERS, PATIENCE);

        // The rotation's first half: a new key, published by both token-apis before anything signs with it; from
        // RS256 to EdDSA, the move of a deployment made before EdDSA was the default.
        String newKid = keys("generate", "--alg", "EdDSA", "--publish").trim();
        awaitCondition(() -> TOKEN_APIS.stream().allMatch(node -> publishes(node, newKid)), PATIENCE,
                "both token-apis publishing " + newKid);

        load.killing(cutGateway);
        hosts.cut("b");
        long cutAt = System.nanoTime();
        int loginsAtCut = load.logins();

        // Operator revocations on a surviving token-api, each timed until the surviving gateway refuses the user.
        List<Long> revocationMillis = new ArrayList<>();
        List<User> revoked = new ArrayList<>();
        for (User user : load.users()) {
            if (revoked.size() == REVOKED_DURING_CUT) {
                break;
            }
            if (!user.finished || user.logins.size() < ClusterLoad.LOGINS_PER_USER) {
                continue;
            }
            Login newest = user.logins.get(user.logins.size() - 1);
            assertThat(load.call(user, newest, survivor)).as(user.name + " before her revocation").isEqualTo(200);
            user.operatorRevoked = true;
            HttpResponse<String> answer = operatorRevoke(TOKEN_APIS.get(0), user.name);
            long answeredAt = System.nanoTime();
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
            while (load.call(user, newest, survivor) != 401) {
                assertThat(System.nanoTime() - answeredAt).as(user.name + " refused by the survivor")
                        .isLessThan(PATIENCE.toNanos());
            }
            revocationMillis.add(Duration.ofNanos(System.nanoTime() - answeredAt).toMillis());
            revoked.add(user);
        }
        assertThat(revoked).as("users who had finished before the cut, to revoke").hasSize(REVOKED_DURING_CUT);

        // The rotation's second half while b is away: promote (both reachable nodes serve the key), then sign.
        Instant promotable = KeySetFile.read(keyFile).get(newKid).published().plusSeconds(5);
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), promotable).toMillis() + 100));
        keys("promote", newKid, "--min-published", "5s", "--jwks-url", TOKEN_APIS.get(0) + "/oauth2/jwks",
                "--jwks-url", TOKEN_APIS.get(1) + "/oauth2/jwks");
        awaitCondition(() -> TOKEN_APIS.stream().allMatch(node -> newKid.equals(kid(clientToken(node)))), PATIENCE,
                "both token-apis signing with " + newKid);

        Thread.sleep(Math.max(0, CUT.toMillis() - Duration.ofNanos(System.nanoTime() - cutAt).toMillis()));
        hosts.restore("b");
        long restoredAt = System.nanoTime();
        awaitCondition(() -> healthy("b", "gateway"), PATIENCE, "gateway-b healthy after its link came back");
        load.restored(cutGateway);
        load.awaitMoreUsers(AFTER_USERS, PATIENCE);
        load.stop();

        Ledger.Outcome outcome = ledger.reconcile(load, GATEWAYS, user -> user.unanswered.get() == 0);
        awaitCondition(() -> replicaCaughtUp("a", "b"), PATIENCE, "the Redis replica on b caught up with the primary");
        awaitCondition(MultiHostIT::everyPartitionFullyInSync, PATIENCE, "every partition's three replicas in sync");
        long convergedMillis = Duration.ofNanos(System.nanoTime() - restoredAt).toMillis();

        List<Long> sorted = revocationMillis.stream().sorted().toList();
        long p99 = percentile(sorted, 99);
        System.out.printf("multi-host: cut host b (gateway, broker 2, Redis replica, Sentinel, policy-worker, "
                        + "revocation-stream) for %d s after %d logins; %d requests it left unanswered went to the "
                        + "other gateway, %d answered 503 were retried there; operator revocations refused by the surviving gateway after (ms) min %d, "
                        + "p50 %d, p90 %d, p99 %d, max %d (%d revocations: %s); key %s promoted over %s during the cut; "
                        + "converged %d ms after the link came back; %s; %d s (load %s)%n",
                CUT.toSeconds(), loginsAtCut, load.failovers(), load.retries(), sorted.get(0), percentile(sorted, 50),
                percentile(sorted, 90), p99, sorted.get(sorted.size() - 1), sorted.size(), revocationMillis, newKid,
                oldKid, convergedMillis, outcome, Duration.ofNanos(System.nanoTime() - began).toSeconds(),
                loadAverage());
        outcome.assertExact(load, "what users noticed while host b was cut off (valid tokens refused included)");
        assertThat(p99).as("p99 of revocation to first refusal at the surviving gateway, ms").isLessThanOrEqualTo(
                REVOCATION_P99_MILLIS);

        // The rotation's end: the old key retired (forced: its tokens of this run are at most minutes old).
        keys("retire", oldKid, "--force");
        awaitCondition(() -> TOKEN_APIS.stream().noneMatch(node -> publishes(node, oldKid)), PATIENCE,
                "both token-apis dropping " + oldKid);
    }

    /**
     * Then host a, which holds the Redis primary (and broker 1, a Sentinel, token-api a, gateway a), is cut off: the
     * Sentinels on b and c promote the replica on b, and the surviving services, which were only ever given the
     * Sentinels, must follow it: a login at token-api c (a refresh family written to Redis), a call at gateway b (its
     * rate-limit counter written), an operator revocation at token-api c refused by gateway b. Once a's link is back,
     * the old primary must rejoin as the new one's replica and a's own services must serve from the new primary.
     * Requests made while no primary is known are answered 503 (fail closed) and counted, not asserted: a load
     * balancer cannot retry them on a node that has Redis. Redis holds what was acknowledged by the old primary
     * and copied before the cut; the counts are not reconciled here (see the README's "Running in production").
     */
    @Test
    @Order(2)
    void theRedisPrimarysHostCutOffFailsOverToTheReplicaAndEveryServiceFollowsIt() throws Exception {
        String tokenApiC = TOKEN_APIS.get(1);
        String gatewayA = GATEWAYS.get(0);
        String gatewayB = GATEWAYS.get(1);
        awaitCondition(() -> primaryNamedBy("b").equals(hosts.address("a")), PATIENCE, "the Sentinels name a");
        hosts.cut("a");
        long cutAt = System.nanoTime();
        awaitCondition(() -> primaryNamedBy("b").equals(hosts.address("b"))
                && primaryNamedBy("c").equals(hosts.address("b")), PATIENCE, "Sentinels b and c promoting b");
        long promotedMillis = millisSince(cutAt);

        int[] refusedWhileFailingOver = {0};
        String[] token = {null};
        ClusterLoad.User user = new ClusterLoad.User(FAILOVER_USER);
        awaitCondition(() -> {
            HttpResponse<String> answer = passwordLogin(tokenApiC, user);
            if (answer.statusCode() == 200) {
                token[0] = accessToken(answer);
                return true;
            }
            refusedWhileFailingOver[0]++;
            return false;
        }, PATIENCE, user.name + " logged in at token-api c");
        long loginMillis = millisSince(cutAt);
        int[] unservedAtGatewayB = {0};
        awaitCondition(() -> {
            int status = bearerCall(gatewayB, token[0]);
            assertThat(status).as(user.name + " at gateway b: served, or 503 until it reaches the new primary")
                    .isIn(200, 503, -1);
            unservedAtGatewayB[0] += status == 200 ? 0 : 1;
            return status == 200;
        }, PATIENCE, user.name + " served at gateway b");
        long callMillis = millisSince(cutAt);

        HttpResponse<String> revocation = operatorRevoke(tokenApiC, user.name);
        assertThat(revocation.statusCode()).as(revocation.body()).isEqualTo(204);
        long revokedAt = System.nanoTime();
        awaitCondition(() -> bearerCall(gatewayB, token[0]) == 401, PATIENCE, user.name + " refused at gateway b");
        long refusedMillis = millisSince(revokedAt);

        hosts.restore("a");
        long restoredAt = System.nanoTime();
        awaitCondition(() -> replicaCaughtUp("b", "a"), PATIENCE, "the old primary on a replicating b's");
        awaitCondition(() -> healthy("a", "token-api") && healthy("a", "gateway"), PATIENCE, "a's services healthy");
        // token-api a writes a family, gateway a's rate limiter a counter: each must write to the new primary
        ClusterLoad.User after = new ClusterLoad.User(FAILOVER_USER + 1);
        int[] refusedAfterRejoin = {0};
        String[] fresh = {null};
        awaitCondition(() -> {
            HttpResponse<String> answer = passwordLogin(TOKEN_APIS.get(0), after);
            if (answer.statusCode() == 200) {
                fresh[0] = accessToken(answer);
                return true;
            }
            refusedAfterRejoin[0]++;
            return false;
        }, PATIENCE, after.name + " logged in at token-api a");
        awaitCondition(() -> bearerCall(gatewayA, fresh[0]) == 200, PATIENCE, after.name + " served by gateway a");
        assertThat(bearerCall(gatewayA, token[0])).as(user.name + " (revoked during the cut) at gateway a")
                .isEqualTo(401);
        long rejoinedMillis = millisSince(restoredAt);
        System.out.printf("multi-host: cut host a (Redis primary, broker 1, Sentinel, token-api, gateway); Sentinels "
                        + "promoted b's replica after %d ms; first login at token-api c after %d ms (%d refused "
                        + "before), served at gateway b after %d ms (%d calls unserved before); an operator "
                        + "revocation at token-api c refused by gateway b after %d ms; a's link back: old primary "
                        + "replicating b's and a's token-api and gateway serving from it after %d ms (%d logins "
                        + "refused before; load %s)%n", promotedMillis, loginMillis, refusedWhileFailingOver[0],
                callMillis, unservedAtGatewayB[0], refusedMillis, rejoinedMillis, refusedAfterRejoin[0],
                loadAverage());
    }

    // --- the parts ----------------------------------------------------------------------------------------------

    /** Each service's Kafka client settings for the SASL_SSL listener, as Dropwizard overrides of kafka.common. */
    private static void publishRegistry(String upstream) throws Exception {
        KafkaFactory factory = new KafkaFactory();
        factory.bootstrapServers = kafka.bootstrapServers();
        factory.deliveryTimeout = Duration.ofSeconds(60);
        try (Producer<String, Event<?>> producer = new KafkaProducer<>(factory.producerProperties("multihost-seed"),
                new StringSerializer(), EventSerde.INSTANCE.serializer())) {
            DemoRegistry.publish(producer, Event.source("ops", "multihost"));
            DemoRegistry.publishApi(producer, Event.source("ops", "multihost"), upstream);
        }
    }

    private static List<String> redisServer(String address, int port) {
        return List.of("redis-server", "--port", Integer.toString(port), "--bind", address, "--save", "",
                "--appendonly", "no", "--protected-mode", "no", "--dir", dir.toString());
    }

    private static List<String> sentinel(String host, String primary) throws Exception {
        Path conf = dir.resolve("sentinel-" + host + ".conf");
        Files.writeString(conf, String.join("\n",
                "port " + SENTINEL_PORT,
                "bind " + hosts.address(host),
                "protected-mode no",
                "dir " + dir,
                "sentinel monitor " + SENTINEL_MASTER + " " + primary + " " + REDIS_PORT + " 2",
                "sentinel down-after-milliseconds " + SENTINEL_MASTER + " 5000",
                "sentinel failover-timeout " + SENTINEL_MASTER + " 60000",
                ""));
        return List.of("redis-server", conf.toString(), "--sentinel");
    }

    private static void start(String name, String host, List<String> command) {
        ChildProcess process = hosts.exec(host, name, dir.resolve("logs").resolve(name + ".log"), command);
        PROCESSES.put(name, process);
        process.start();
    }

    private static void startAndAwait(String module) throws InterruptedException {
        PLACEMENT.get(module).forEach(host -> PROCESSES.get(module + "-" + host).start());
        awaitHealthy(module);
    }

    /**
     * Waits for every instance of {@code module} to be healthy. An instance that exits while starting (e.g. its
     * first connection to the brokers timed out on a crowded machine) is started again, as a service manager
     * restarts a failed unit, at most {@link #START_ATTEMPTS} times in all.
     */
    private static void awaitHealthy(String module) throws InterruptedException {
        for (String host : PLACEMENT.get(module)) {
            String name = module + "-" + host;
            ChildProcess process = PROCESSES.get(name);
            awaitCondition(() -> {
                if (!process.isAlive()) {
                    int attempts = STARTS.merge(name, 1, Integer::sum) + 1;
                    assertThat(attempts).as(name + " exited " + (attempts - 1) + " times; see " + process.log())
                            .isLessThanOrEqualTo(START_ATTEMPTS);
                    System.out.printf("multi-host: %s exited while starting; starting it again (attempt %d)%n",
                            name, attempts);
                    process.start();
                }
                return healthy(host, module);
            }, Duration.ofSeconds(300), name + " healthy (log " + process.log() + ")");
        }
    }

    private static boolean healthy(String host, String module) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://" + hosts.address(host) + ":"
                            + ADMIN_PORTS.get(module) + "/healthcheck")).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static Path keyStore(TestCertificates.Leaf leaf, String host) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", leaf.keys().getPrivate(), "upstream-store".toCharArray(),
                new Certificate[] {leaf.certificate(), leaf.issuer()});
        Path file = dir.resolve("upstream-" + host + ".p12");
        try (FileOutputStream out = new FileOutputStream(file.toFile())) {
            store.store(out, "upstream-store".toCharArray());
        }
        return file;
    }

    private static SSLContext trusting(TestCertificates.Authority ca) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    // --- convergence ----------------------------------------------------------------------------------------------

    /** The Redis on {@code replicaHost} replicates the one on {@code primaryHost}, with nothing left to copy. */
    private static boolean replicaCaughtUp(String primaryHost, String replicaHost) {
        try (Jedis primary = new Jedis(hosts.address(primaryHost), REDIS_PORT);
             Jedis replica = new Jedis(hosts.address(replicaHost), REDIS_PORT)) {
            String info = primary.info("replication");
            String replicaInfo = replica.info("replication");
            return info.contains("role:master") && info.contains("connected_slaves:1")
                    && replicaInfo.contains("master_host:" + hosts.address(primaryHost))
                    && replicaInfo.contains("master_link_status:up")
                    && field(info, "master_repl_offset").equals(field(replicaInfo, "slave_repl_offset"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String field(String info, String name) {
        return info.lines().filter(l -> l.startsWith(name + ":")).map(l -> l.substring(name.length() + 1).strip())
                .findFirst().orElse("?");
    }

    private static boolean everyPartitionFullyInSync() {
        try (Admin admin = kafka.admin()) {
            List<String> topics = new ArrayList<>(admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                    .get(10, TimeUnit.SECONDS));
            Map<String, TopicDescription> all = admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS);
            return all.values().stream().flatMap(t -> t.partitions().stream()).allMatch(p -> p.isr().size() == 3);
        } catch (Exception e) {
            return false;
        }
    }

    // --- clients ---------------------------------------------------------------------------------------------------

    private static HttpResponse<String> operatorRevoke(String tokenApi, String user) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(tokenApi + "/admin/users/" + user + "/revoke"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (OPERATOR + ":" + OPERATOR_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"multi-host\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A client token of the demo service client (client credentials: no user, no family). */
    private static String clientToken(String tokenApi) {
        try {
            String basic = Base64.getEncoder().encodeToString((DemoRegistry.SERVICE_CLIENT_ID + ":"
                    + DemoRegistry.SERVICE_CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(tokenApi + "/oauth2/token"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", "Basic " + basic)
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode body = Json.mapper().readTree(response.body());
            return body.get("access_token").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The primary's address as the Sentinel on {@code host} names it ("?" when it does not answer). */
    private static String primaryNamedBy(String host) {
        try (Jedis sentinel = new Jedis(hosts.address(host), SENTINEL_PORT, 2_000)) {
            List<String> primary = sentinel.sentinelGetMasterAddrByName(SENTINEL_MASTER);
            return primary == null || primary.isEmpty() ? "?" : primary.get(0);
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private static HttpResponse<String> passwordLogin(String tokenApi, ClusterLoad.User user) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(tokenApi + "/oauth2/token"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id="
                            + DemoRegistry.CLIENT_ID + "&username=" + user.name + "&password=" + user.password()))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String accessToken(HttpResponse<String> answer) {
        try {
            return Json.mapper().readTree(answer.body()).get("access_token").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The status of an API call with {@code token} at {@code gateway}; -1 when it does not answer. */
    private static int bearerCall(String gateway, String token) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(gateway + "/" + DemoRegistry.API + "/failover"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }

    private static String kid(String token) {
        try {
            return SignedJWT.parse(token).getHeader().getKeyID();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean publishes(String tokenApi, String kid) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(tokenApi + "/oauth2/jwks"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200
                    && JWKSet.parse(response.body()).getKeys().stream().map(JWK::getKeyID).anyMatch(kid::equals);
        } catch (Exception e) {
            return false;
        }
    }

    private static String keys(String... args) {
        List<String> full = new ArrayList<>(List.of("keys"));
        full.addAll(List.of(args));
        CliResult result = cli(Map.of("TOLLGATE_KEYS_FILE", keyFile.toString()), full.toArray(String[]::new));
        assertThat(result.code()).as(String.join(" ", full) + ": " + result.err()).isZero();
        return result.out();
    }

    private record CliResult(int code, String out, String err) {
    }

    private static CliResult cli(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = TollgateCli.commandLine(env, null);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new CliResult(code, out.toString(), err.toString());
    }

    private static Jedis redis() {
        return new Jedis(hosts.address("a"), REDIS_PORT);
    }

    private static long percentile(List<Long> sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    private static void deleteRecursively(Path path) {
        try (var walk = Files.walk(path)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // best effort: a temp dir left behind is not a test failure
        }
    }
}
