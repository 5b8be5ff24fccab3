package io.tollgate.revocation;

import io.dropwizard.util.Duration;
import io.tollgate.shared.config.ServiceConfiguration;
import io.tollgate.shared.config.TokenLifetimes;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.util.Map;

/**
 * revocation-stream's configuration: node, kafka, redis and operators as every service has them
 * ({@link ServiceConfiguration}).
 */
public class RevocationStreamConfiguration extends ServiceConfiguration {
    /** Kafka Streams application.id: instances with the same id share the partitions. */
    @NotEmpty
    public String applicationId = "tollgate-revocation-stream";

    /** Where Streams keeps its RocksDB state and process id: one directory per instance (Streams locks it). */
    @NotEmpty
    public String stateDir = ".stack/revocation-stream";

    /** How late a call may arrive and still be counted in its window. */
    @NotNull
    public Duration usageGrace = Duration.minutes(5);

    /** How long usage keys stay in Redis after their window ends (the portal's history). */
    @NotNull
    public Duration usageKeep = Duration.days(35);

    /** How long a family revoked by refresh reuse stays marked: the refresh token lifetime, token-api's key and value. */
    @Valid
    @NotNull
    public TokenLifetimes tokens = new TokenLifetimes();

    /** How long a Redis write is retried before the task restarts (must stay below the transaction timeout). */
    @NotNull
    public Duration redisRetryBudget = Duration.seconds(40);

    /** How often the projection hash is checked for a flushed Redis. */
    @NotNull
    public Duration projectionCheckInterval = Duration.seconds(5);

    @Override
    protected Map<String, String> movedKeys() {
        return Map.of("refreshLifetime", "\"tokens\" with \"refreshTokenLifetime\" (token-api's key and value)");
    }
}
