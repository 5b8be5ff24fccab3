package io.tollgate.revocation;

import io.dropwizard.testing.DropwizardTestSupport;
import io.tollgate.shared.events.ApiCall;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.Revocation;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.shared.redis.RedisKeys.Window;
import io.tollgate.testkit.ChildProcess;
import io.tollgate.testkit.KafkaExtension;
import io.tollgate.testkit.RedisExtension;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.tollgate.revocation.RevocationStreamIT.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the service (same {@code applicationId}, separate state
 * directories) run the topology together on the 6-partition topics. One runs in this JVM, the other in a child
 * JVM that is SIGKILLed mid-stream: the survivor takes its tasks over (after the short session timeout and the
 * dead instance's open transaction timing out) and every revocation and every call count is still exact: nothing
 * lost, nothing counted twice, each invalidation published once.
 */
class StreamsScalingIT {
    @RegisterExtension
    @Order(1)
    static final KafkaExtension KAFKA = KafkaExtension.shared();
    @RegisterExtension
    @Order(2)
    static final RedisExtension REDIS = new RedisExtension();

    private static final URI SOURCE = Event.source("gateway", "scaling-it");
    private static final int USERS = 60;
    private static final int CALLS_PER_USER_AND_PHASE = 40;
    private static final String CLIENT = "demo-mobile";

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String applicationId = "rs-scaling-" + run;
    private final String api = "api-scaling-" + run;
    private DropwizardTestSupport<RevocationStreamConfiguration> inProcess;
    private ChildProcess child;
    private Invalidations invalidations;

    @AfterEach
    void stop() {
        if (child != null) {
            child.kill();
        }
        if (inProcess != null) {
            inProcess.after();
        }
        if (invalidations != null) {
            invalidations.close();
        }
    }

    /**
     * The service's configuration for one instance: same application id, its own state directory, a short
     * consumer-group session (a killed member is noticed in 6 s, not 45 s) and a short Redis retry budget with a
     * 10 s transaction timeout (still above the budget, as the service requires): the transaction timeout bounds
     * how long a killed member's open transaction blocks the tasks the survivor takes over.
     */
    private Path config(String instance) throws Exception {
        Path dir = Path.of("target", "it-scaling", run);
        Files.createDirectories(dir);
        Path file = dir.resolve(instance + ".yml");
        Files.writeString(file, """
                server:
                  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
                  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
                kafka:
                  bootstrapServers: "%s"
                  streams:
                    session.timeout.ms: "6000"
                    heartbeat.interval.ms: "1500"
                    producer.transaction.timeout.ms: "10000"
                redis:
                  host: "%s"
                  port: %d
                applicationId: %s
                stateDir: %s
                redisRetryBudget: 3 seconds
                projectionCheckInterval: 500 milliseconds
                logging:
                  level: INFO
                  loggers:
                    org.apache.kafka: WARN
                """.formatted(KAFKA.bootstrapServers(), REDIS.host(), REDIS.port(), applicationId,
                dir.resolve("state-" + instance).toAbsolutePath()));
        return file.toAbsolutePath();
    }

    private String user(int i) {
        return "sc-" + run + "-" + i;
    }

    private String revokedUser(int phase, int i) {
        return "sc-rev-" + run + "-" + phase + "-" + i;
    }

    /**
     * Chunks {@code [from, to)} of one phase's traffic: chunk {@code c} is one call of each of the {@code USERS}
     * callers plus the USER revocations of the users {@code i} with {@code i % CHUNKS == c}. Returns the
     * partitions the records went to.
     */
    private Set<Integer> produce(int phase, int from, int to, Instant minute, Instant revokedAt) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (Producer<String, Event<?>> producer = KAFKA.producer(Topics.CALLS)) {
            for (int c = from; c < to; c++) {
                for (int i = c; i < USERS; i += CALLS_PER_USER_AND_PHASE) {
                    Revocation revocation = new Revocation(Revocation.Kind.USER, revokedUser(phase, i), null, null,
                            null, revokedAt, revokedAt.plus(Duration.ofDays(1)), "ops", "scaling test");
                    sent.add(producer.send(new ProducerRecord<>(Topics.REVOCATIONS.name(), revocation.key(),
                            Event.of(SOURCE, revocation))));
                }
                for (int i = 0; i < USERS; i++) {
                    ApiCall call = new ApiCall(CLIENT, user(i), api, "/mobile/", "GET", 200, 800,
                            ApiCall.Outcome.PROXIED, minute.plusMillis(phase * 20_000L + c * 100L + i));
                    sent.add(producer.send(new ProducerRecord<>(Topics.CALLS.name(), call.key(),
                            Event.of(SOURCE, call))));
                }
                producer.flush();
            }
        }
        Set<Integer> partitions = new HashSet<>();
        for (Future<RecordMetadata> f : sent) {
            partitions.add(f.get().partition());
        }
        return partitions;
    }

    private static String get(String key) {
        try (Jedis jedis = REDIS.jedis()) {
            return jedis.get(key);
        }
    }

    private static List<String> mget(List<String> keys) {
        try (Jedis jedis = REDIS.jedis()) {
            return jedis.mget(keys.toArray(new String[0]));
        }
    }

    private List<String> usageKeys(Instant minute) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            keys.add(RedisKeys.usage(CLIENT, user(i), Window.MINUTE, minute.getEpochSecond()));
            keys.add(RedisKeys.usage(CLIENT, user(i), Window.DAY, Window.DAY.start(minute.getEpochSecond())));
        }
        return keys;
    }

    private long apiCount(Instant minute) {
        String count = get(RedisKeys.apiUsage(CLIENT, api, Window.MINUTE, minute.getEpochSecond()));
        return count == null ? 0 : Long.parseLong(count);
    }

    private boolean countsAre(Instant minute, int perUser) {
        String apiKey = RedisKeys.apiUsage(CLIENT, api, Window.MINUTE, minute.getEpochSecond());
        return mget(usageKeys(minute)).stream().allMatch(Integer.toString(perUser)::equals)
                && Integer.toString(perUser * USERS).equals(get(apiKey));
    }

    private List<String> revocationKeys(int phase) {
        return IntStream.range(0, USERS).mapToObj(i -> RedisKeys.userNotBefore(revokedUser(phase, i))).toList();
    }

    private boolean revoked(int phase, Instant at) {
        String expected = Long.toString(at.getEpochSecond());
        return mget(revocationKeys(phase)).stream().allMatch(expected::equals)
                && revocationKeys(phase).stream().allMatch(invalidations.messages()::contains);
    }

    /** The members of the Streams group and the partitions of each; empty while the group is rebalancing. */
    private static Map<String, Set<TopicPartition>> members(Admin admin, String group) throws Exception {
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        return description.members().stream().collect(Collectors.toMap(MemberDescription::consumerId,
                m -> m.assignment().topicPartitions()));
    }

    private static boolean everyInputPartitionIsAssigned(Collection<Set<TopicPartition>> assignments) {
        Set<TopicPartition> all = new HashSet<>();
        assignments.forEach(all::addAll);
        return IntStream.range(0, Topics.CALLS.partitions()).allMatch(p ->
                all.contains(new TopicPartition(Topics.CALLS.name(), p))
                        && all.contains(new TopicPartition(Topics.REVOCATIONS.name(), p)));
    }

    /** Whether the group has committed every calls record produced so far (nothing left to process or count). */
    private static boolean callsFullyCommitted(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, Topics.CALLS.partitions()).boxed()
                .collect(Collectors.toMap(p -> new TopicPartition(Topics.CALLS.name(), p), p -> OffsetSpec.latest()));
        var ends = admin.listOffsets(latest).all().get();
        return ends.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                && committed.get(e.getKey()).offset() >= e.getValue().offset());
    }

    @Test
    void twoInstancesShareThePartitionsAndTheSurvivorOfAKillKeepsEveryCountExact() throws Exception {
        long began = System.nanoTime();
        KAFKA.createTopics(Topics.ALL);
        invalidations = Invalidations.listen(REDIS);
        inProcess = new DropwizardTestSupport<>(RevocationStreamApplication.class, config("a").toString());
        inProcess.before();
        child = new ChildProcess("revocation-stream-b", ChildProcess.java("256m", List.of(),
                RevocationStreamApplication.class.getName(), List.of("server", config("b").toString())),
                Path.of("target", "it-scaling", run, "b.log")).start();

        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant revokedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (Admin admin = KAFKA.admin()) {
            // both instances are members and each owns tasks (input partitions); together they own every partition
            await(() -> {
                try {
                    Map<String, Set<TopicPartition>> members = members(admin, applicationId);
                    return members.size() == 2 && members.values().stream().noneMatch(Set::isEmpty)
                            && everyInputPartitionIsAssigned(members.values());
                } catch (Exception e) {
                    return false;
                }
            }, Duration.ofSeconds(60));
            await(() -> RedisKeys.PROJECTION_READY.equals(hget(RedisKeys.PROJECTION, "state")),
                    Duration.ofSeconds(30));

            // phase 1, both instances running: every revocation and every count, across all six partitions
            assertThat(produce(0, 0, CALLS_PER_USER_AND_PHASE, minute, revokedAt))
                    .hasSize(Topics.CALLS.partitions());
            await(() -> countsAre(minute, CALLS_PER_USER_AND_PHASE) && revoked(0, revokedAt), Duration.ofSeconds(30));
            Map<String, Set<TopicPartition>> beforeKill = members(admin, applicationId);
            assertThat(beforeKill).hasSize(2); // no rebalance moved all the work to one instance meanwhile

            // phase 2: the child is SIGKILLed once the phase is being counted, and the traffic goes on
            Set<Integer> partitions = new HashSet<>(produce(1, 0, 10, minute, revokedAt));
            int phaseOne = CALLS_PER_USER_AND_PHASE * USERS;
            await(() -> apiCount(minute) > phaseOne, Duration.ofSeconds(30));
            child.kill();
            long killed = System.nanoTime();
            partitions.addAll(produce(1, 10, CALLS_PER_USER_AND_PHASE, minute, revokedAt));
            assertThat(partitions).hasSize(Topics.CALLS.partitions());
            await(() -> {
                try {
                    Map<String, Set<TopicPartition>> members = members(admin, applicationId);
                    return members.size() == 1 && everyInputPartitionIsAssigned(members.values());
                } catch (Exception e) {
                    return false;
                }
            }, Duration.ofSeconds(30));
            await(() -> countsAre(minute, 2 * CALLS_PER_USER_AND_PHASE) && revoked(1, revokedAt),
                    Duration.ofSeconds(60));
            System.out.println("event=test.scaling_failover millis=" + (System.nanoTime() - killed) / 1_000_000);
            await(() -> {
                try {
                    return callsFullyCommitted(admin, applicationId);
                } catch (Exception e) {
                    return false;
                }
            }, Duration.ofSeconds(30));
        }
        // everything is processed and committed: still exact (a replay of the killed instance's uncommitted work
        // rewrote the same absolute counts), and each revocation was announced exactly once
        assertThat(countsAre(minute, 2 * CALLS_PER_USER_AND_PHASE)).isTrue();
        for (int phase = 0; phase < 2; phase++) {
            for (String key : revocationKeys(phase)) {
                assertThat(Collections.frequency(invalidations.messages(), key)).as(key).isEqualTo(1);
            }
        }
        System.out.println("event=test.scaling millis=" + (System.nanoTime() - began) / 1_000_000);
    }

    private static String hget(String key, String field) {
        try (Jedis jedis = REDIS.jedis()) {
            return jedis.hget(key, field);
        }
    }
}
