package io.tollgate.tokenapi.bench;

import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.kafka.KafkaFactory;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.testkit.KafkaCluster;
import io.tollgate.testkit.LdapDirectory;
import io.tollgate.testkit.RedisServer;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.StringSerializer;
import redis.clients.jedis.Jedis;

/**
 * The real infrastructure for a manual run of the shaded jar (benchmarks, the README walk-through without
 * the ops launcher): a Kafka broker, a Redis server and the demo LDAP directory from shared's fixtures,
 * with the topics and the demo registry. Prints the environment for token-api and runs until killed.
 */
public final class BenchStack {
    public static void main(String[] args) throws Exception {
        KafkaCluster kafka = KafkaCluster.create(1).start();
        RedisServer redis = RedisServer.create().start();
        LdapDirectory ldap = LdapDirectory.demo();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ldap.close();
            redis.close();
            kafka.close();
        }));
        KafkaFactory factory = new KafkaFactory();
        factory.bootstrapServers = kafka.bootstrapServers();
        try (Admin admin = factory.buildAdmin("bench-stack")) {
            factory.ensureTopics(admin);
        }
        try (Producer<String, Event<?>> producer = factory.buildProducer("bench-stack", new StringSerializer(),
                Topics.REGISTRY.valueSerde().serializer())) {
            DemoRegistry.publish(producer, Event.source("ops", "bench"));
        }
        // no revocation-stream here: declare its (empty) projection ready, or token-api answers 503 (unconfirmed)
        try (Jedis jedis = redis.jedis()) {
            jedis.hset(RedisKeys.PROJECTION, RedisKeys.PROJECTION_STATE_FIELD, RedisKeys.PROJECTION_READY);
        }
        System.out.println("export TOLLGATE_KAFKA_BOOTSTRAP=" + kafka.bootstrapServers());
        System.out.println("export TOLLGATE_REDIS_HOST=" + redis.host() + " TOLLGATE_REDIS_PORT=" + redis.port());
        System.out.println("export TOLLGATE_LDAP_URL=" + ldap.url());
        System.out.println("READY");
        System.out.flush();
        Thread.currentThread().join();
    }
}
