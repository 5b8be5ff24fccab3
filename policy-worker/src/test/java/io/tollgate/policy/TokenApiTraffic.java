package io.tollgate.policy;

import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventData;
import io.tollgate.shared.events.LoginSucceeded;
import io.tollgate.shared.events.PolicyDecision;
import io.tollgate.shared.events.Revocation;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.shared.topics.Topics;
import io.tollgate.testkit.KafkaExtension;
import io.tollgate.testkit.RedisExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import redis.clients.jedis.Jedis;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * token-api's side of a policy-worker test: the family a login writes to Redis and the events it sends to
 * {@code tollgate.auth-events}; and the worker's answers, read back from its topics.
 */
final class TokenApiTraffic implements AutoCloseable {
    private static final URI SOURCE = Event.source("token-api", "it");

    private final KafkaExtension kafka;
    private final RedisExtension redis;
    private Producer<String, Event<?>> producer;

    TokenApiTraffic(KafkaExtension kafka, RedisExtension redis) {
        this.kafka = kafka;
        this.redis = redis;
    }

    /** Writes a family created at {@code createdAt} as token-api does at a login, and returns the login event. */
    LoginSucceeded login(String user, String client, String application, String subscription, String plan,
                         String family, Instant createdAt) {
        Instant expires = Instant.now().plus(Duration.ofDays(30));
        String hash = String.format("%043d", Math.abs(family.hashCode()));
        try (Jedis jedis = redis.jedis()) {
            jedis.hset(RedisKeys.family(family), Map.of("user", user, "client", client,
                    "generation", "0", "hash", hash, "createdAt", Long.toString(createdAt.toEpochMilli()),
                    "expiresAt", Long.toString(expires.getEpochSecond()), "scope", "read",
                    "subscriptionId", subscription, "planId", plan));
            jedis.zadd(RedisKeys.families(user, client), createdAt.toEpochMilli(), family);
            jedis.sadd(RedisKeys.familyClients(user), client);
        }
        return new LoginSucceeded(user, client, application, subscription, plan, family, 0, hash, "jti-" + family,
                "read", Instant.now().plusSeconds(300), expires, "127.0.0.1");
    }

    /** Sends one event under {@code key}, flushed. */
    void send(String key, EventData data) {
        producer().send(new ProducerRecord<>(Topics.AUTH_EVENTS.name(), key, Event.of(SOURCE, data)));
        producer().flush();
    }

    /** Sends the logins, each under its user, with one flush: the worker polls them together. */
    void send(List<LoginSucceeded> logins) {
        for (LoginSucceeded login : logins) {
            producer().send(new ProducerRecord<>(Topics.AUTH_EVENTS.name(), login.userId(), Event.of(SOURCE, login)));
        }
        producer().flush();
    }

    /** The worker's decisions on {@code user}, once there are {@code atLeast} (or {@code wait} has passed). */
    List<PolicyDecision> decisions(String user, int atLeast, Duration wait) {
        return kafka.readUntil(Topics.POLICY_DECISIONS,
                        records -> records.stream().filter(r -> user.equals(r.key())).count() >= atLeast, wait)
                .stream().filter(r -> user.equals(r.key())).map(r -> r.value().dataAs(PolicyDecision.class)).toList();
    }

    /** The revocations of {@code user} on the topic, read until it has been quiet for {@code quiet}. */
    List<Revocation> revocations(String user, Duration quiet) {
        return kafka.readAll(Topics.REVOCATIONS, quiet).stream().map(ConsumerRecord::value)
                .map(e -> e.dataAs(Revocation.class)).filter(r -> user.equals(r.userId())).toList();
    }

    private Producer<String, Event<?>> producer() {
        if (producer == null) {
            producer = kafka.producer(Topics.AUTH_EVENTS);
        }
        return producer;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
