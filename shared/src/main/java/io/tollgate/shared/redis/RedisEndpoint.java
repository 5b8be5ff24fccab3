package io.tollgate.shared.redis;

import io.tollgate.shared.crypto.Secret;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How every Redis client of a service reaches Redis: a standalone server, or the primary that a set of Sentinels
 * names at the moment of connecting; the ACL user and password; TLS, to the data nodes and the Sentinels alike, with
 * the server's certificate checked against the configured trust and its host name always verified; the database
 * and the timeout. Its configuration is immutable; it prints no secret.
 *
 * <p>Clients that keep their own connections (the gateway's event-loop client, its invalidation subscriber) call
 * {@link #primary()} on every (re)connect, so after a failover they follow the Sentinels to the new primary. As the
 * Redis Sentinel client guidelines say (redis.io, "Sentinel client spec", "Sentinels list update"), the Sentinel
 * that last answered moves to the head of the list, so a lookup asks first the Sentinel that answered the previous
 * one: a Sentinel that no longer answers (its host cut off) costs one lookup the timeout, not every lookup.
 */
public final class RedisEndpoint {
    /** The JDK's RFC 2818 host name rules: a DNS name must match a DNS SAN, an IP address an IP SAN. */
    private static final String HOST_NAME_CHECK = "HTTPS";

    private final HostAndPort standalone;
    private final String masterName;
    private final List<HostAndPort> sentinels;
    /** {@link #sentinels} in the order {@link #primary()} asks them: the last one that answered first. */
    private final AtomicReference<List<HostAndPort>> lookupOrder;
    private final String user;
    private final Secret password;
    private final Secret sentinelPassword;
    private final int database;
    private final Duration timeout;
    private final SSLContext tls;

    private RedisEndpoint(Builder b) {
        if ((b.standalone == null) == (b.masterName == null)) {
            throw new IllegalStateException("a Redis endpoint is either a standalone server or a Sentinel master");
        }
        if (b.masterName != null && b.sentinels.isEmpty()) {
            throw new IllegalStateException("a Sentinel master needs at least one Sentinel");
        }
        this.standalone = b.standalone;
        this.masterName = b.masterName;
        this.sentinels = List.copyOf(b.sentinels);
        this.lookupOrder = new AtomicReference<>(this.sentinels);
        this.user = b.user == null || b.user.isBlank() ? null : b.user;
        this.password = b.password == null || b.password.isEmpty() ? null : b.password;
        this.sentinelPassword = b.sentinelPassword == null || b.sentinelPassword.isEmpty() ? null
                : b.sentinelPassword;
        this.database = b.database;
        this.timeout = Objects.requireNonNull(b.timeout, "timeout");
        this.tls = b.tls;
    }

    /** A standalone server at {@code host:port}. */
    public static Builder standalone(String host, int port) {
        Builder b = new Builder();
        b.standalone = new HostAndPort(host, port);
        return b;
    }

    /** The primary that {@code sentinels} name {@code masterName}. */
    public static Builder sentinel(String masterName, List<HostAndPort> sentinels) {
        Builder b = new Builder();
        b.masterName = Objects.requireNonNull(masterName, "masterName");
        b.sentinels = List.copyOf(sentinels);
        return b;
    }

    public boolean usesSentinel() {
        return masterName != null;
    }

    /** The Sentinels' name of the primary; null for a standalone server. */
    public String masterName() {
        return masterName;
    }

    /** The Sentinels as configured. */
    public List<HostAndPort> sentinels() {
        return sentinels;
    }

    public Duration timeout() {
        return timeout;
    }

    public boolean tls() {
        return tls != null;
    }

    /**
     * Where the primary is now: the standalone server, or the first answer of the Sentinels
     * ({@code SENTINEL get-master-addr-by-name}), asked one after another starting with the one that answered the
     * previous lookup, which stays at the head of the list. Blocks up to the timeout per Sentinel asked.
     *
     * @throws JedisConnectionException when no Sentinel names the primary
     */
    public HostAndPort primary() {
        if (standalone != null) {
            return standalone;
        }
        JedisConnectionException failure = new JedisConnectionException("no Sentinel of " + sentinels
                + " names a primary for '" + masterName + "'");
        JedisClientConfig config = sentinelClientConfig();
        for (HostAndPort sentinel : lookupOrder.get()) {
            try (Jedis jedis = new Jedis(sentinel, config)) {
                List<String> address = jedis.sentinelGetMasterAddrByName(masterName);
                if (address != null && address.size() == 2) {
                    HostAndPort primary = new HostAndPort(address.get(0), Integer.parseInt(address.get(1)));
                    lookupOrder.updateAndGet(order -> headFirst(order, sentinel));
                    return primary;
                }
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
        throw failure;
    }

    private static List<HostAndPort> headFirst(List<HostAndPort> order, HostAndPort head) {
        if (order.get(0).equals(head)) {
            return order;
        }
        List<HostAndPort> moved = new ArrayList<>(order.size());
        moved.add(head);
        for (HostAndPort sentinel : order) {
            if (!sentinel.equals(head)) {
                moved.add(sentinel);
            }
        }
        return List.copyOf(moved);
    }

    /** The configuration of a connection to a data node (the primary); {@code socketTimeoutMillis} 0 blocks reads. */
    public JedisClientConfig clientConfig(int socketTimeoutMillis) {
        DefaultJedisClientConfig.Builder builder = base().socketTimeoutMillis(socketTimeoutMillis).database(database);
        if (user != null) {
            builder.user(user);
        }
        if (password != null) {
            builder.password(password.reveal());
        }
        return builder.build();
    }

    /** {@link #clientConfig(int)} with the timeout as the socket timeout. */
    public JedisClientConfig clientConfig() {
        return clientConfig(timeoutMillis());
    }

    /** The configuration of a connection to a Sentinel: the same TLS, the Sentinels' own password. */
    public JedisClientConfig sentinelClientConfig() {
        DefaultJedisClientConfig.Builder builder = base().socketTimeoutMillis(timeoutMillis());
        if (sentinelPassword != null) {
            builder.password(sentinelPassword.reveal());
        }
        return builder.build();
    }

    private DefaultJedisClientConfig.Builder base() {
        DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder().autoNegotiateProtocol(false)
                .connectionTimeoutMillis(timeoutMillis());
        if (tls != null) {
            builder.ssl(true).sslSocketFactory(tls.getSocketFactory()).sslParameters(verifying());
        }
        return builder;
    }

    private int timeoutMillis() {
        return (int) Math.max(1, timeout.toMillis());
    }

    private SSLParameters verifying() {
        SSLParameters parameters = tls.getDefaultSSLParameters();
        parameters.setEndpointIdentificationAlgorithm(HOST_NAME_CHECK);
        return parameters;
    }

    /**
     * A client-mode TLS engine for a connection to {@code host:port} that checks, in the handshake, the certificate
     * against the configured trust and its names against {@code host} (for clients that bring their own transport).
     */
    public SSLEngine newClientEngine(String host, int port) {
        if (tls == null) {
            throw new IllegalStateException("this Redis endpoint does not use TLS");
        }
        SSLEngine engine = tls.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        engine.setSSLParameters(verifying());
        return engine;
    }

    /**
     * The commands a new data connection sends before any other: {@code AUTH [user] password} and
     * {@code SELECT database}, each only when configured (for clients that speak RESP themselves).
     */
    public List<List<String>> handshake() {
        List<List<String>> commands = new ArrayList<>(2);
        if (password != null) {
            commands.add(user == null ? List.of("AUTH", password.reveal()) : List.of("AUTH", user, password.reveal()));
        }
        if (database != 0) {
            commands.add(List.of("SELECT", Integer.toString(database)));
        }
        return commands;
    }

    @Override
    public String toString() {
        return (standalone != null ? "redis " + standalone : "redis primary '" + masterName + "' of Sentinels "
                + sentinels) + (tls != null ? " over TLS" : "") + (user != null ? " as " + user : "");
    }

    /** The optional parts of an endpoint. */
    public static final class Builder {
        private HostAndPort standalone;
        private String masterName;
        private List<HostAndPort> sentinels = List.of();
        private String user;
        private Secret password;
        private Secret sentinelPassword;
        private int database;
        private Duration timeout = Duration.ofSeconds(2);
        private SSLContext tls;

        private Builder() {
        }

        /** The ACL user; null or blank is the default user. */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder password(Secret password) {
            this.password = password;
            return this;
        }

        /** The Sentinels' own password (their {@code requirepass}); null when they require none. */
        public Builder sentinelPassword(Secret sentinelPassword) {
            this.sentinelPassword = sentinelPassword;
            return this;
        }

        public Builder database(int database) {
            this.database = database;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** TLS with the trust of {@code context}; null is plain text. */
        public Builder tls(SSLContext context) {
            this.tls = context;
            return this;
        }

        public RedisEndpoint build() {
            return new RedisEndpoint(this);
        }
    }
}
