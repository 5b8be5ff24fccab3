package io.tollgate.shared.redis;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.AutoCloseableManager;
import io.tollgate.shared.crypto.Secret;
import io.tollgate.shared.tls.CaBundle;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.JedisSentinelPool;
import redis.clients.jedis.util.Pool;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Redis connection settings; builds a pooled client whose lifecycle and health check the service owns, and the
 * {@link RedisEndpoint} every other client of the service connects by.
 *
 * <p>Either a standalone server ({@code host}, default 127.0.0.1, and {@code port}) or a primary with replicas that
 * Sentinels fail over ({@code sentinel.masterName}, {@code sentinel.nodes}; {@code host} set empty): exactly one. {@code user} and {@code password} are the ACL
 * user's ({@code AUTH user password}; no user is the default user). With {@code tls.enabled} every connection, to
 * the data nodes and to the Sentinels, is TLS: the certificate must chain to {@code tls.caBundle} (PEM; none = the
 * JVM's trust) and name the host connected to (for a Sentinel's primary, the address the Sentinels announce); a
 * plain-text server is refused, never fallen back to.
 */
public class RedisFactory {

    /** A standalone server; must be unset (null or empty) with Sentinel. */
    public String host = "127.0.0.1";

    @Min(1)
    @Max(65535)
    public int port = 6379;

    /** Optional ACL user; none = the default user. */
    public String user;

    /** Optional AUTH password; printed as [REDACTED]. */
    public Secret password;

    @Valid
    @NotNull
    public Tls tls = new Tls();

    @Valid
    @NotNull
    public Sentinel sentinel = new Sentinel();

    @Min(0)
    public int database = 0;

    @NotNull
    public Duration timeout = Duration.ofSeconds(2);

    @Min(1)
    public int maxConnections = 32;

    /** TLS to every Redis node. */
    public static class Tls {
        public boolean enabled;
        /** PEM file of CA certificates; null or empty = the JVM's default trust. */
        public String caBundle;
    }

    /** The Sentinels that name the primary. */
    public static class Sentinel {
        public String masterName;
        /** {@code host:port} of each Sentinel; an empty value ({@code nodes:}) is no Sentinel. */
        @NotNull
        @JsonSetter(nulls = Nulls.AS_EMPTY)
        public List<String> nodes = new ArrayList<>();
        /** The Sentinels' own password (their requirepass); optional. */
        public Secret password;

        boolean isSet() {
            return masterName != null && !masterName.isBlank();
        }
    }

    static final String TOPOLOGY = "set exactly one of redis.host (a standalone Redis; default 127.0.0.1) and "
            + "redis.sentinel.masterName (a primary that Sentinels fail over; set redis.host empty then)";

    @JsonIgnore
    @AssertTrue(message = TOPOLOGY)
    public boolean isOneTopology() {
        return hasHost() != sentinel.isSet();
    }

    @JsonIgnore
    @AssertTrue(message = "redis.sentinel.nodes must list at least one Sentinel as host:port "
            + "when redis.sentinel.masterName is set")
    public boolean isSentinelNodesValid() {
        if (!sentinel.isSet()) {
            return true;
        }
        try {
            return !sentinels().isEmpty();
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private boolean hasHost() {
        return host != null && !host.isBlank();
    }

    /** The Sentinels as addresses; blank entries are skipped (an empty variable in a flow sequence). */
    private List<HostAndPort> sentinels() {
        LinkedHashSet<HostAndPort> out = new LinkedHashSet<>();
        for (String node : sentinel.nodes) {
            for (String part : node == null ? new String[0] : node.split(",")) {
                String entry = part.trim();
                if (entry.isEmpty()) {
                    continue;
                }
                int colon = entry.lastIndexOf(':');
                try {
                    int p = Integer.parseInt(entry.substring(colon + 1));
                    if (colon <= 0 || p < 1 || p > 65535) {
                        throw new NumberFormatException();
                    }
                    out.add(new HostAndPort(entry.substring(0, colon), p));
                } catch (NumberFormatException e) {
                    throw new IllegalStateException("redis.sentinel.nodes: '" + entry + "' is not host:port");
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * Where and how to connect, checked: the topology, the Sentinels' addresses and the CA bundle (a missing or
     * unreadable bundle stops the service here, at start-up).
     */
    public RedisEndpoint endpoint() {
        if (!isOneTopology()) {
            throw new IllegalStateException(TOPOLOGY);
        }
        RedisEndpoint.Builder builder;
        if (hasHost()) {
            builder = RedisEndpoint.standalone(host.trim(), port);
        } else {
            List<HostAndPort> nodes = sentinels();
            if (nodes.isEmpty()) {
                throw new IllegalStateException("redis.sentinel.nodes must list at least one Sentinel as host:port");
            }
            builder = RedisEndpoint.sentinel(sentinel.masterName.trim(), nodes)
                    .sentinelPassword(sentinel.password);
        }
        return builder.user(user).password(password).database(database).timeout(timeout)
                .tls(tls.enabled ? sslContext(tls.caBundle) : null).build();
    }

    private static SSLContext sslContext(String caBundle) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {CaBundle.trustManager(caBundle)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("redis.tls.caBundle: " + e.getMessage(), e);
        }
    }

    /**
     * A pool not bound to any lifecycle (tools, tests): a {@link JedisPool} on the standalone server, or a
     * {@link JedisSentinelPool} that asks the Sentinels for the primary now (failing when none answers) and
     * follows their {@code +switch-master} announcements.
     */
    public Pool<Jedis> buildPool() {
        return buildPool(endpoint());
    }

    /**
     * {@link #buildPool()} on an endpoint already built from these settings (its trust read once).
     *
     * <p>Borrowing does not test a connection (that would be a {@code PING} round trip per borrow): idle ones are
     * tested on the eviction timer ({@link JedisPoolConfig}'s), and a connection that breaks in use fails that
     * call and is discarded together with every idle one ({@link BrokenConnectionFactory}).
     */
    public Pool<Jedis> buildPool(RedisEndpoint endpoint) {
        JedisPoolConfig poolConfig = new JedisPoolConfig();
        poolConfig.setMaxTotal(maxConnections);
        poolConfig.setMaxIdle(maxConnections);
        poolConfig.setMinIdle(Math.min(2, maxConnections));
        poolConfig.setMaxWait(timeout);
        poolConfig.setTestWhileIdle(true);
        poolConfig.setJmxEnabled(false);
        BrokenConnectionFactory connections = new BrokenConnectionFactory(
                endpoint.usesSentinel() ? null : endpoint.primary(), endpoint.clientConfig());
        if (endpoint.usesSentinel()) {
            return connections.clears(new JedisSentinelPool(endpoint.masterName(),
                    new LinkedHashSet<>(endpoint.sentinels()), poolConfig, connections,
                    endpoint.sentinelClientConfig()));
        }
        return connections.clears(new JedisPool(poolConfig, connections));
    }

    /** A pool closed with the service, with a {@code redis} health check (PING). */
    public Pool<Jedis> build(Environment environment) {
        Pool<Jedis> pool = buildPool();
        environment.lifecycle().manage(new AutoCloseableManager(pool));
        environment.healthChecks().register("redis", new RedisHealthCheck(pool));
        return pool;
    }
}
