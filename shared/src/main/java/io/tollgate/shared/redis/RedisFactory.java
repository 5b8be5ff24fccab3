package io.tollgate.shared.redis;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.tollgate.shared.crypto.Secret;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;

import java.time.Duration;

/** Redis connection settings; builds a pooled client whose lifecycle and health check the service owns. */
public class RedisFactory {

    @NotEmpty
    private String host = "127.0.0.1";

    @Min(1)
    @Max(65535)
    private int port = 6379;

    /** Optional AUTH password; printed as [REDACTED]. */
    private Secret password;

    @Min(0)
    private int database = 0;

    @NotNull
    private Duration timeout = Duration.ofSeconds(2);

    @Min(1)
    private int maxConnections = 32;

    @JsonProperty
    public String getHost() {
        return host;
    }

    @JsonProperty
    public void setHost(String host) {
        this.host = host;
    }

    @JsonProperty
    public int getPort() {
        return port;
    }

    @JsonProperty
    public void setPort(int port) {
        this.port = port;
    }

    @JsonProperty
    public Secret getPassword() {
        return password;
    }

    @JsonProperty
    public void setPassword(Secret password) {
        this.password = password;
    }

    @JsonProperty
    public int getDatabase() {
        return database;
    }

    @JsonProperty
    public void setDatabase(int database) {
        this.database = database;
    }

    @JsonProperty
    public Duration getTimeout() {
        return timeout;
    }

    @JsonProperty
    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    @JsonProperty
    public int getMaxConnections() {
        return maxConnections;
    }

    @JsonProperty
    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    public HostAndPort hostAndPort() {
        return new HostAndPort(host, port);
    }

    public JedisClientConfig clientConfig() {
        DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder().autoNegotiateProtocol(false)
                .connectionTimeoutMillis((int) timeout.toMillis())
                .socketTimeoutMillis((int) timeout.toMillis())
                .database(database);
        if (password != null && !password.isEmpty()) {
            builder.password(password.reveal());
        }
        return builder.build();
    }

    /** A pool not bound to any lifecycle (tools, tests). */
    public JedisPool buildPool() {
        JedisPoolConfig poolConfig = new JedisPoolConfig();
        poolConfig.setMaxTotal(maxConnections);
        poolConfig.setMaxIdle(maxConnections);
        poolConfig.setMinIdle(Math.min(2, maxConnections));
        poolConfig.setMaxWait(timeout);
        poolConfig.setTestWhileIdle(true);
        poolConfig.setJmxEnabled(false);
        return new JedisPool(poolConfig, hostAndPort(), clientConfig());
    }

    /** A pool closed with the service, with a {@code redis} health check (PING). */
    public JedisPool build(Environment environment) {
        JedisPool pool = buildPool();
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                pool.close();
            }
        });
        environment.healthChecks().register("redis", new RedisHealthCheck(pool));
        return pool;
    }
}
