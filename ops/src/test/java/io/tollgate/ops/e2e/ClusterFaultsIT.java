package io.tollgate.ops.e2e;

import io.tollgate.ops.e2e.ClusterLoad.Login;
import io.tollgate.ops.e2e.ClusterLoad.Routing;
import io.tollgate.ops.e2e.ClusterLoad.User;
import io.tollgate.ops.stack.FreePortStacks;
import io.tollgate.cli.ServiceSpec;
import io.tollgate.ops.stack.Stack;
import io.tollgate.ops.stack.StackConfig;
import io.tollgate.testkit.FreePorts;
import io.tollgate.testkit.KafkaCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.Jedis;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.tollgate.ops.e2e.ClusterLoad.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Services, a gateway and a broker killed under load: the multi-machine shape on one machine, booted once for all
 * three checks. A three-broker KRaft cluster (replication factor 3, {@code min.insync.replicas} 2;
 * {@code -Dtollgate.cluster.brokers=1} for a single broker, which skips the broker kill) and two nodes of every
 * service (token-api, policy-worker, revocation-stream, gateway as child JVMs from their jars), each service told
 * the cluster's replication factor and, where a killed member must be noticed soon, a 6 s consumer session timeout
 * instead of 45 s (Dropwizard overrides of the YAML keys the services read, see {@link #serviceArguments}). Each
 * check runs a login and API-call load
 * ({@link ClusterLoad}), kills something with SIGKILL under it, waits for conditions (never for a fixed time) and
 * then reconciles exactly: one {@code login.succeeded} and one policy decision per login, {@code api.call} events
 * and the usage counts in Redis per user equal to the answers the gateways gave, every family over the device
 * limit revoked in Redis and refused by every live gateway, and no 200 for a token after its revocation.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultsIT {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final int BROKERS = Integer.getInteger("tollgate.cluster.brokers", 3);
    /** Users at a time, and each one's pause before every request. */
    private static final int THREADS = Integer.getInteger("tollgate.cluster.threads", 3);
    private static final long THINK_MILLIS = Long.getLong("tollgate.cluster.thinkMillis", 20);
    /** Bench users reserved for each check (each takes the next unused ones). */
    private static final int USERS_PER_CHECK = 1_000;
    /** Users who finish their script before a fault is injected, and after the system has recovered from it. */
    private static final int WARM_USERS = 15;
    private static final int AFTER_USERS = 20;
    /** Upper bound of every wait for a condition (a generous one: the machine is shared). */
    private static final Duration PATIENCE = Duration.ofSeconds(150);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static KafkaCluster kafka;
    private static StackConfig config;
    private static Stack stack;
    private static EventTally tally;
    private static Ledger ledger;
    private static final List<String> TOKEN_APIS = new ArrayList<>();
    private static final List<String> GATEWAYS = new ArrayList<>();
    private static long bootMillis;

    @BeforeAll
    static void boot() throws Exception {
        for (ServiceSpec spec : ServiceSpec.ALL) {
            assertThat(spec.jar(ROOT)).as("the end-to-end suites run the built jars: mvn -B verify builds them first")
                    .isRegularFile();
        }
        long t0 = System.nanoTime();
        kafka = KafkaCluster.create(BROKERS).start(Duration.ofSeconds(180));
        config = FreePortStacks.config(ROOT, "a", "tollgate-cluster-");
        config.externalKafka = kafka;
        config.benchUsers = 3 * USERS_PER_CHECK;
        config.startServicesTogether = true;
        serviceArguments(config);
        stack = new Stack(config, new PrintStream(System.out, true, StandardCharsets.UTF_8));
        assertThat(stack.start()).as("the first node of every service is healthy").isTrue();
        int tokenApiB = FreePorts.find();
        int gatewayB = FreePorts.find();
        stack.startNodes(List.of(
                new Stack.Node("token-api", "b", tokenApiB, FreePorts.find()),
                new Stack.Node("policy-worker", "b", FreePorts.find(), FreePorts.find()),
                new Stack.Node("revocation-stream", "b", FreePorts.find(), FreePorts.find()),
                new Stack.Node("gateway", "b", gatewayB, FreePorts.find())));
        TOKEN_APIS.add(config.issuer());
        TOKEN_APIS.add("http://" + config.host + ":" + tokenApiB);
        GATEWAYS.add("http://" + config.host + ":" + config.port("gateway"));
        GATEWAYS.add("http://" + config.host + ":" + gatewayB);
        tally = new EventTally(config.kafkaBootstrap());
        ledger = new Ledger(tally, ClusterFaultsIT::redis, PATIENCE);
        bootMillis = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        System.out.printf("cluster stack: %d broker(s), two nodes of each service, healthy after %d ms (load %s); "
                + "logs in %s, brokers' in %s%n", BROKERS, bootMillis, loadAverage(), config.logs(), kafka.directory());
    }

    /**
     * The YAML keys the services read, overridden for this stack: the cluster's replication factor and minimum ISR
     * for the topics they create (Streams' internal topics included), and a 6 s session timeout (heartbeat 1.5 s)
     * for the two consumer groups, so a SIGKILLed member's partitions move after 6 s, not 45 s. C1-only JIT: the
     * JVMs live for minutes, and C2 compiling on two cores costs more than it gives back in that time.
     */
    static void serviceArguments(StackConfig config) {
        for (ServiceSpec spec : ServiceSpec.ALL) {
            List<String> args = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1"));
            if (BROKERS >= 3) {
                args.add("-Ddw.kafka.replicationFactor=3");
                args.add("-Ddw.kafka.minInsyncReplicas=2");
            }
            if (spec.module().equals("policy-worker")) {
                args.add("-Ddw.kafka.consumer.session\\.timeout\\.ms=6000");
                args.add("-Ddw.kafka.consumer.heartbeat\\.interval\\.ms=1500");
            }
            if (spec.module().equals("revocation-stream")) {
                args.add("-Ddw.kafka.streams.session\\.timeout\\.ms=6000");
                args.add("-Ddw.kafka.streams.heartbeat\\.interval\\.ms=1500");
            }
            config.serviceJvmArgs.put(spec.module(), args);
        }
    }

    @AfterAll
    static void tearDown() {
        if (tally != null) {
            tally.close();
        }
        if (stack != null) {
            // Nothing here is under test any more: SIGKILL is quicker than eight graceful stops.
            stack.servicePids().keySet().forEach(name -> stack.kill(name));
            stack.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    // --- policy-worker and revocation-stream killed mid-stream ------------------------------------------------

    @Test
    @Order(1)
    void policyWorkerAndRevocationStreamKilledMidStreamAndRestartedDecideAndCountExactlyOnce() throws Exception {
        long began = System.nanoTime();
        ClusterLoad load = new ClusterLoad(TOKEN_APIS, GATEWAYS, Routing.ROUND_ROBIN, 1, USERS_PER_CHECK, THINK_MILLIS)
                .start(THREADS);
        load.awaitMoreUsers(WARM_USERS, PATIENCE);
        awaitCondition(() -> decided(load.users()) >= 10, PATIENCE, "policy-worker deciding this load's logins");

        int decidedAtKill = decided(load.users());
        stack.kill("policy-worker");
        stack.kill("revocation-stream");
        int loginsAtKill = load.logins();
        stack.restart("policy-worker", "revocation-stream");
        int decidedByRestart = decided(load.users()); // mostly by policy-worker-b, which took over after 6 s
        load.awaitMoreUsers(AFTER_USERS, PATIENCE);
        load.stop();

        Ledger.Outcome outcome = ledger.reconcile(load, GATEWAYS, user -> true);
        System.out.printf("check 3: killed policy-worker-a and revocation-stream-a (SIGKILL) after %d logins, %d of "
                + "them decided; %d logins decided by the time both were healthy again; %s; %d s (load %s)%n",
                loginsAtKill, decidedAtKill, decidedByRestart, outcome, seconds(began), loadAverage());
        outcome.assertExact(load, "what users noticed");
    }

    // --- one broker of three killed -----------------------------------------------------------------------

    @Test
    @Order(2)
    void aBrokerKilledUnderLoadIsNoticedByNoUserAndNothingIsLost() throws Exception {
        assumeTrue(BROKERS >= 3, "needs the three-broker cluster (-Dtollgate.cluster.brokers=3)");
        long began = System.nanoTime();
        ClusterLoad load = new ClusterLoad(TOKEN_APIS, GATEWAYS, Routing.ROUND_ROBIN, USERS_PER_CHECK + 1,
                2 * USERS_PER_CHECK, THINK_MILLIS).start(THREADS);
        load.awaitMoreUsers(WARM_USERS, PATIENCE);

        int victim;
        try (Admin admin = kafka.admin()) {
            victim = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
        }
        int loginsAtKill = load.logins();
        long killedAt = System.nanoTime();
        kafka.killNode(victim - 1); // node ids are 1..n: the active controller, and the leader of a third of it all
        awaitCondition(() -> noPartitionLedBy(victim), PATIENCE, "every partition led by a live broker");
        long leadersMoved = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
        load.awaitMoreUsers(AFTER_USERS, PATIENCE);
        load.stop();

        Ledger.Outcome outcome = ledger.reconcile(load, GATEWAYS, user -> true);
        System.out.printf("check 4b: killed broker %d (SIGKILL, the active controller) after %d logins; every "
                + "partition had a live leader %d ms later; %s; %d s (load %s)%n", victim, loginsAtKill, leadersMoved,
                outcome, seconds(began), loadAverage());
        outcome.assertExact(load, "what users noticed while a broker died");
    }

    // --- one of two gateways killed ------------------------------------------------------------------------

    @Test
    @Order(3)
    void oneOfTwoGatewaysKilledUnderLoadTheOtherServesOnAndRevocationsReachIt() throws Exception {
        long began = System.nanoTime();
        String survivor = GATEWAYS.get(0);
        String victim = GATEWAYS.get(1);
        ClusterLoad load = new ClusterLoad(TOKEN_APIS, GATEWAYS, Routing.STICKY, 2 * USERS_PER_CHECK + 1,
                3 * USERS_PER_CHECK, THINK_MILLIS).start(THREADS);
        load.awaitMoreUsers(WARM_USERS, PATIENCE);

        load.killing(victim);
        stack.kill("gateway-b");
        int loginsAtKill = load.logins();
        load.awaitMoreUsers(AFTER_USERS, PATIENCE);
        load.stop();

        // Revocations made after the kill: the device limit's (logins after it), and an operator revoking users.
        List<User> revokedByOperator = load.users().subList(load.users().size() - 5, load.users().size());
        long operatorEnforcedMillis = 0;
        for (User user : revokedByOperator) {
            long t0 = System.nanoTime();
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
                            URI.create(config.issuer() + "/admin/users/" + user.name + "/revoke"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            "ops:ops-secret".getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"cluster faults\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
            user.operatorRevoked = true;
            Login newest = user.logins.get(user.logins.size() - 1);
            awaitCondition(() -> load.call(user, newest, survivor) == 401, PATIENCE,
                    user.name + " refused by the survivor");
            operatorEnforcedMillis = Math.max(operatorEnforcedMillis,
                    Duration.ofNanos(System.nanoTime() - t0).toMillis());
        }
        Predicate<User> onTheVictim = u -> u.answeredBy(victim) > 0 || u.unanswered.get() > 0;
        long movedEntirely = load.users().stream().filter(u -> u.number % 2 == 1).filter(onTheVictim.negate()).count();

        // Users on the victim lose the api.call events of the calls it answered just before it died (they were
        // still in its memory): exact for everyone else, and never more than answered for them.
        Ledger.Outcome outcome = ledger.reconcile(load, List.of(survivor), onTheVictim.negate());
        System.out.printf("check 4: killed gateway-b (SIGKILL) after %d logins; %d requests it left unanswered went "
                + "to gateway-a; %d users of gateway-b moved to gateway-a entirely; operator revocations of 5 users "
                + "refused by the survivor within %d ms; %s; %d s (load %s)%n", loginsAtKill, load.failovers(),
                movedEntirely, operatorEnforcedMillis, outcome, seconds(began), loadAverage());
        assertThat(load.failovers()).as("requests the dying gateway left unanswered").isPositive();
        outcome.assertExact(load, "what users noticed while a gateway died");
    }

    /** Logins of these users with a decision on the topic so far. */
    private static int decided(List<User> users) {
        tally.catchUp();
        return (int) users.stream().flatMap(u -> u.logins.stream()).filter(l -> tally.decisions(l.sid()) > 0).count();
    }

    private static boolean noPartitionLedBy(int broker) {
        try (Admin admin = kafka.admin()) {
            List<String> topics = new ArrayList<>(admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions()
                    .listInternal(true)).names().get(10, TimeUnit.SECONDS));
            Map<String, TopicDescription> all = admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS);
            return all.values().stream().flatMap(t -> t.partitions().stream())
                    .allMatch(p -> p.leader() != null && p.leader().id() != broker);
        } catch (Exception e) {
            return false;
        }
    }

    private static Jedis redis() {
        return new Jedis(config.redisHost, config.redisPort);
    }

    private static long seconds(long since) {
        return Duration.ofNanos(System.nanoTime() - since).toSeconds();
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }
}
