package io.tollgate.revocation;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.util.Duration;
import io.tollgate.shared.auth.Account;
import io.tollgate.shared.kafka.KafkaFactory;
import io.tollgate.shared.redis.RedisFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.util.ArrayList;
import java.util.List;

public class RevocationStreamConfiguration extends Configuration {
    @Valid
    @NotNull
    @JsonProperty
    public KafkaFactory kafka = new KafkaFactory();

    @Valid
    @NotNull
    @JsonProperty
    public RedisFactory redis = new RedisFactory();

    /** Kafka Streams application.id: instances with the same id share the partitions. */
    @NotEmpty
    @JsonProperty
    public String applicationId = "tollgate-revocation-stream";

    /** Where Streams keeps its RocksDB state and process id: one directory per instance (Streams locks it). */
    @NotEmpty
    @JsonProperty
    public String stateDir = ".stack/revocation-stream";

    /** How late a call may arrive and still be counted in its window. */
    @NotNull
    @JsonProperty
    public Duration usageGrace = Duration.minutes(5);

    /** How long usage keys stay in Redis after their window ends (the portal's history). */
    @NotNull
    @JsonProperty
    public Duration usageKeep = Duration.days(35);

    /** How long a family revoked by refresh reuse stays marked: the refresh token lifetime. */
    @NotNull
    @JsonProperty
    public Duration refreshLifetime = Duration.days(30);

    /** How long a Redis write is retried before the task restarts (must stay below the transaction timeout). */
    @NotNull
    @JsonProperty
    public Duration redisRetryBudget = Duration.seconds(40);

    /** How often the projection hash is checked for a flushed Redis. */
    @NotNull
    @JsonProperty
    public Duration projectionCheckInterval = Duration.seconds(5);

    /**
     * Operator accounts (HTTP Basic, name and PBKDF2 passwordHash) allowed to run the admin port's tasks; with
     * none, every task is refused.
     */
    @Valid
    @NotNull
    @JsonProperty
    public List<Account> operators = new ArrayList<>();

    /** Accept an operator with the demo password ({@code DemoOperator}); the local stack's YAML only. */
    @JsonProperty
    public boolean allowDemoOperator = false;
}
