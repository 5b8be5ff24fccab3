package io.tollgate.revocation;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.tollgate.shared.config.ServiceConfiguration;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/**
 * revocation-stream's configuration: node, kafka, redis and operators as every service has them
 * ({@link ServiceConfiguration}).
 */
public class RevocationStreamConfiguration extends ServiceConfiguration {
    /** Kafka Streams application.id: instances with the same id share the partitions. */
    @NotEmpty
    private String applicationId = "tollgate-revocation-stream";

    /** Where Streams keeps its RocksDB state and process id: one directory per instance (Streams locks it). */
    @NotEmpty
    private String stateDir = ".stack/revocation-stream";

    /** How late a call may arrive and still be counted in its window. */
    @NotNull
    private Duration usageGrace = Duration.minutes(5);

    /** How long usage keys stay in Redis after their window ends (the portal's history). */
    @NotNull
    private Duration usageKeep = Duration.days(35);

    /** How long a family revoked by refresh reuse stays marked: the refresh token lifetime. */
    @NotNull
    private Duration refreshLifetime = Duration.days(30);

    /** How long a Redis write is retried before the task restarts (must stay below the transaction timeout). */
    @NotNull
    private Duration redisRetryBudget = Duration.seconds(40);

    /** How often the projection hash is checked for a flushed Redis. */
    @NotNull
    private Duration projectionCheckInterval = Duration.seconds(5);

    @JsonProperty
    public String getApplicationId() {
        return applicationId;
    }

    @JsonProperty
    public void setApplicationId(String applicationId) {
        this.applicationId = applicationId;
    }

    @JsonProperty
    public String getStateDir() {
        return stateDir;
    }

    @JsonProperty
    public void setStateDir(String stateDir) {
        this.stateDir = stateDir;
    }

    @JsonProperty
    public Duration getUsageGrace() {
        return usageGrace;
    }

    @JsonProperty
    public void setUsageGrace(Duration usageGrace) {
        this.usageGrace = usageGrace;
    }

    @JsonProperty
    public Duration getUsageKeep() {
        return usageKeep;
    }

    @JsonProperty
    public void setUsageKeep(Duration usageKeep) {
        this.usageKeep = usageKeep;
    }

    @JsonProperty
    public Duration getRefreshLifetime() {
        return refreshLifetime;
    }

    @JsonProperty
    public void setRefreshLifetime(Duration refreshLifetime) {
        this.refreshLifetime = refreshLifetime;
    }

    @JsonProperty
    public Duration getRedisRetryBudget() {
        return redisRetryBudget;
    }

    @JsonProperty
    public void setRedisRetryBudget(Duration redisRetryBudget) {
        this.redisRetryBudget = redisRetryBudget;
    }

    @JsonProperty
    public Duration getProjectionCheckInterval() {
        return projectionCheckInterval;
    }

    @JsonProperty
    public void setProjectionCheckInterval(Duration projectionCheckInterval) {
        this.projectionCheckInterval = projectionCheckInterval;
    }
}
