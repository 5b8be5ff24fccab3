package io.tollgate.tokenapi;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventData;
import io.tollgate.testkit.FreePorts;
import io.tollgate.testkit.KafkaExtension;
import io.tollgate.testkit.LdapExtension;
import io.tollgate.testkit.RedisExtension;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * token-api on real infrastructure for an IT, as one JUnit 5 extension: Kafka, Redis and (unless left out) the demo
 * LDAP directory start in that order, Redis's projection is declared ready, the topics are created and the demo
 * registry (plus the IT's own records) is published, then token-api boots from a shipped config on a port chosen up
 * front (so the issuer is known before start) with a fresh key file; everything stops in reverse order, each part
 * even when a later one failed to start. The variations the ITs need are the builder's options.
 *
 * <pre>{@code @RegisterExtension
 * static final TokenApiTestStack STACK = TokenApiTestStack.builder("families-it").build();}</pre>
 */
public final class TokenApiTestStack implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    private final String name;
    private final KafkaExtension kafka;
    private final RedisExtension redis = new RedisExtension();
    private final LdapExtension ldap;
    private final List<EventData> registry;
    private final int port;
    private final String baseUrl;
    private final boolean cleanRedisBeforeEach;
    private final boolean captureLogs;
    private final DropwizardAppExtension<TokenApiConfiguration> app;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Deque<AfterAllCallback> toStop = new ArrayDeque<>();
    private Path keysFile;
    private final Path outbox;

    private TokenApiTestStack(Builder b) {
        this.name = b.name;
        this.kafka = b.kafka;
        this.ldap = b.ldap ? new LdapExtension() : null;
        this.registry = List.copyOf(b.registry);
        this.port = FreePorts.find();
        this.baseUrl = (b.tlsKeyStore == null ? "http" : "https") + "://127.0.0.1:" + port;
        this.cleanRedisBeforeEach = b.cleanRedisBeforeEach;
        this.captureLogs = b.captureLogs;
        try {
            this.outbox = Files.createTempDirectory(name + "-outbox");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<ConfigOverride> overrides = new ArrayList<>(List.of(
                ConfigOverride.config("server.applicationConnectors[0].port", Integer.toString(port)),
                ConfigOverride.config("server.adminConnectors[0].port", "0"),
                ConfigOverride.config("issuer", baseUrl),
                ConfigOverride.config("kafka.bootstrapServers", kafka::bootstrapServers),
                ConfigOverride.config("redis.host", redis::host),
                ConfigOverride.config("redis.port", () -> Integer.toString(redis.port())),
                ConfigOverride.config("keys.file", () -> keysFile.toString())));
        if (ldap != null) {
            overrides.add(ConfigOverride.config("identityProvider.urls[0]", ldap::url));
        }
        if (b.configFile.equals("config/local.yml")) {
            // The local config's file outbox, one per stack (Outbox reads it); other configs bring their own mail.
            overrides.add(ConfigOverride.config("portal.mail.directory", outbox.toString()));
            overrides.add(ConfigOverride.config("portal.mail.console", "false"));
        }
        if (!b.portalHashingBounds) {
            // Most ITs sign up and log in far more than a person would, from one address and in parallel; the
            // bounds themselves are tested with portalHashingBounds() (PortalHashingBudgetIT).
            overrides.addAll(List.of(
                    ConfigOverride.config("portal.hashesPerClientAddress", "1000000"),
                    ConfigOverride.config("portal.hashesInFlightPerClientAddress", "1000"),
                    ConfigOverride.config("portal.maxConcurrentHashes", "64"),
                    ConfigOverride.config("portal.hashQueueWait", "60s"),
                    ConfigOverride.config("portal.signupsPerAddress", "1000")));
        }
        if (b.tlsKeyStore != null) {
            overrides.addAll(List.of(
                    ConfigOverride.config("server.applicationConnectors[0].type", "https"),
                    ConfigOverride.config("server.applicationConnectors[0].keyStorePath", b.tlsKeyStore.toString()),
                    ConfigOverride.config("server.applicationConnectors[0].keyStorePassword", b.tlsPassword),
                    ConfigOverride.config("server.applicationConnectors[0].keyStoreType", "PKCS12")));
        }
        overrides.addAll(b.overrides);
        this.app = new DropwizardAppExtension<>(TokenApiApplication.class, b.configFile,
                new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
                        new EnvironmentVariableSubstitutor(false)),
                overrides.toArray(new ConfigOverride[0]));
    }

    /**
     * A stack whose seed events come from {@code ops/<name>} and whose key file lives in a temporary directory
     * named after {@code name}.
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start(kafka, context);
        start(redis, context);
        if (ldap != null) {
            start(ldap, context);
        }
        seed();
        keysFile = Files.createTempDirectory(name).resolve("jwks.json");
        toStop.push(c -> app.after());
        app.before();
        if (captureLogs) {
            // after the start: Dropwizard resets logback's appenders when it configures logging
            LoggerContext loggers = (LoggerContext) LoggerFactory.getILoggerFactory();
            logs.setContext(loggers);
            logs.start();
            loggers.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(logs);
            toStop.push(c -> logs.stop());
        }
    }

    /** Registers {@code part} to be stopped before starting it, as JUnit would for a failed separate extension. */
    private <T extends BeforeAllCallback & AfterAllCallback> void start(T part, ExtensionContext context)
            throws Exception {
        toStop.push(part);
        part.beforeAll(context);
    }

    private void seed() throws Exception {
        TestApps.projectionReady(redis);
        kafka.createTopics(Topics.ALL);
        URI source = Event.source("ops", name);
        try (Producer<String, Event<?>> producer = kafka.producer(Topics.REGISTRY)) {
            DemoRegistry.publish(producer, source);
            for (EventData data : registry) {
                producer.send(new ProducerRecord<>(Topics.REGISTRY.name(), data.subject(), Event.of(source, data)))
                        .get();
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        Exception failure = null;
        while (!toStop.isEmpty()) {
            try {
                toStop.pop().afterAll(context);
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (cleanRedisBeforeEach) {
            resetRedis();
        }
    }

    /** An empty Redis with the projection ready: what each test starts from with {@code cleanRedisBeforeEach()}. */
    public void resetRedis() {
        redis.flushAll();
        TestApps.projectionReady(redis);
    }

    public KafkaExtension kafka() {
        return kafka;
    }

    public RedisExtension redis() {
        return redis;
    }

    /** The directory; fails for a stack built {@code withoutLdap()}. */
    public LdapExtension ldap() {
        if (ldap == null) {
            throw new IllegalStateException("this stack runs without LDAP");
        }
        return ldap;
    }

    public DropwizardAppExtension<TokenApiConfiguration> app() {
        return app;
    }

    /** The application connector's port, fixed when the stack is built. */
    public int port() {
        return port;
    }

    /** {@code http(s)://127.0.0.1:<port>}, which is also token-api's issuer. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The portal's file outbox (the local config's mail), one directory per stack. */
    public Outbox outbox() {
        return new Outbox(outbox);
    }

    /** token-api's key file (created by token-api on its first start). */
    public Path keysFile() {
        return keysFile;
    }

    /** Every log event since token-api started; only with {@code captureLogs()}. */
    public List<ILoggingEvent> logs() {
        if (!captureLogs) {
            throw new IllegalStateException("this stack does not capture logs");
        }
        return logs.list;
    }

    /** The per-IT variations; everything is optional. */
    public static final class Builder {
        private final String name;
        private KafkaExtension kafka = KafkaExtension.shared();
        private boolean ldap = true;
        private String configFile = "config/local.yml";
        private final List<EventData> registry = new ArrayList<>();
        private final List<ConfigOverride> overrides = new ArrayList<>();
        private Path tlsKeyStore;
        private String tlsPassword;
        private boolean cleanRedisBeforeEach;
        private boolean captureLogs;
        private boolean portalHashingBounds;

        private Builder(String name) {
            this.name = name;
        }

        /** A broker of this class's own instead of the JVM's shared one (to stop it, or to keep its topics apart). */
        public Builder dedicatedKafka(int nodes) {
            this.kafka = KafkaExtension.dedicated(nodes);
            return this;
        }

        /** No LDAP directory, for a config whose identity provider is something else. */
        public Builder withoutLdap() {
            this.ldap = false;
            return this;
        }

        /** The shipped config to boot from instead of {@code config/local.yml}. */
        public Builder configFile(String path) {
            this.configFile = path;
            return this;
        }

        /** Registry records published after the demo registry. */
        public Builder registry(EventData... records) {
            registry.addAll(List.of(records));
            return this;
        }

        /** Overrides applied after the stack's own (so they win). */
        public Builder config(ConfigOverride... more) {
            overrides.addAll(List.of(more));
            return this;
        }

        /** The application connector on HTTPS with this PKCS12 key store; the base URL and issuer become https. */
        public Builder tls(Path keyStore, String password) {
            this.tlsKeyStore = keyStore;
            this.tlsPassword = password;
            return this;
        }

        /** Before each test: Redis flushed and the projection declared ready again. */
        public Builder cleanRedisBeforeEach() {
            this.cleanRedisBeforeEach = true;
            return this;
        }

        /** The portal's hashing and sign-up bounds as the config file sets them (others lift them). */
        public Builder portalHashingBounds() {
            this.portalHashingBounds = true;
            return this;
        }

        /** Every log event from the start of token-api until the class ends, in {@link #logs()}. */
        public Builder captureLogs() {
            this.captureLogs = true;
            return this;
        }

        public TokenApiTestStack build() {
            return new TokenApiTestStack(this);
        }
    }
}
