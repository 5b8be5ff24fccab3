package io.tollgate.shared.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.configuration.ConfigurationFactory;
import io.dropwizard.configuration.ConfigurationParsingException;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.core.server.SimpleServerFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.logging.common.ConsoleAppenderFactory;
import io.dropwizard.logging.common.DefaultLoggingFactory;
import io.tollgate.shared.logging.TextLayoutFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The keys every service's YAML shares, read by the services' own factory with a real validator. */
class ServiceConfigurationTest {
    private final ConfigurationFactory<ServiceConfiguration> factory = factory(ServiceConfiguration.class, "dw");

    private static <C extends ServiceConfiguration> ConfigurationFactory<C> factory(Class<C> type, String prefix) {
        return new ServiceConfigurationFactoryFactory<C>().create(type, Validators.newValidator(),
                Jackson.newObjectMapper(), prefix);
    }

    private static <C> C parse(ConfigurationFactory<C> factory, String yaml) throws Exception {
        return factory.build(path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "inline");
    }

    private ServiceConfiguration parse(String yaml) throws Exception {
        return parse(factory, yaml);
    }

    @Test
    void nodeKafkaRedisAndOperatorsAreReadFromTheirKeys() throws Exception {
        ServiceConfiguration config = parse("""
                node: gw-2
                kafka:
                  bootstrapServers: kafka-1:9092
                redis:
                  host: redis.internal
                  port: 6380
                operators:
                  - name: ops
                    passwordHash: pbkdf2-sha256$1000$c2FsdA$aGFzaA
                """);
        assertThat(config.node).isEqualTo("gw-2");
        assertThat(config.kafka.bootstrapServers).isEqualTo("kafka-1:9092");
        assertThat(config.redis.host).isEqualTo("redis.internal");
        assertThat(config.redis.port).isEqualTo(6380);
        assertThat(config.operators).singleElement().satisfies(op -> assertThat(op.name).isEqualTo("ops"));
    }

    @Test
    void theDefaultsNameALocalNodeWithNoOperators() throws Exception {
        ServiceConfiguration config = parse("{}");
        assertThat(config.node).isEqualTo("local");
        assertThat(config.kafka).isNotNull();
        assertThat(config.redis).isNotNull();
        assertThat(config.operators).isEmpty();
    }

    @Test
    void anUnknownKeyIsRefusedAtEveryDepthWithTheValidNamesNearestToIt() {
        assertThatThrownBy(() -> parse("nod: a\n")).isInstanceOf(ConfigurationParsingException.class)
                .hasMessageContaining("Unrecognized field at: nod").hasMessageContaining("- node");
        assertThatThrownBy(() -> parse("redis:\n  hots: redis.internal\n"))
                .isInstanceOf(ConfigurationParsingException.class)
                .hasMessageContaining("Unrecognized field at: redis.hots").hasMessageContaining("- host");
        assertThatThrownBy(() -> parse("kafka: {bogus: 1}\n")).isInstanceOf(ConfigurationParsingException.class)
                .hasMessageContaining("Unrecognized field at: kafka.bogus");
        assertThatThrownBy(() -> parse("redis:\n  sentinel:\n    masterNmae: mymaster\n"))
                .isInstanceOf(ConfigurationParsingException.class)
                .hasMessageContaining("Unrecognized field at: redis.sentinel.masterNmae")
                .hasMessageContaining("- masterName");
        assertThatThrownBy(() -> parse("operators:\n  - name: ops\n    password: ops-secret\n"))
                .isInstanceOf(ConfigurationParsingException.class)
                .hasMessageContaining("Unrecognized field at: operators.[0].password")
                .hasMessageContaining("- passwordHash")
                .hasMessageNotContaining("ops-secret");
    }

    /** Sections whose class a {@code type} key chooses read as before, and their own keys are checked too. */
    @Test
    void typedSectionsAreReadAndTheirUnknownKeysRefused() throws Exception {
        ServiceConfiguration config = parse("""
                server:
                  type: simple
                  connector: {type: http, port: 0}
                logging:
                  appenders:
                    - type: console
                      layout: {type: text}
                """);
        assertThat(config.getServerFactory()).isInstanceOf(SimpleServerFactory.class);
        assertThat(((DefaultLoggingFactory) config.getLoggingFactory()).getAppenders()).singleElement()
                .isInstanceOfSatisfying(ConsoleAppenderFactory.class, console ->
                        assertThat(console.getLayout()).isInstanceOf(TextLayoutFactory.class));
        assertThatThrownBy(() -> parse("server:\n  type: simple\n  connector: {type: http, prot: 0}\n"))
                .hasMessageContaining("Unrecognized field at: server.connector.prot")
                .hasMessageContaining("- port");
        assertThatThrownBy(() -> parse("logging:\n  appenders:\n    - type: console\n      treshold: WARN\n"))
                .hasMessageContaining("Unrecognized field at: logging.appenders.[0].treshold")
                .hasMessageContaining("- threshold");
    }

    /** A {@code -Ddw.} override (and a test's {@code ConfigOverride}) is a key of the file like any other. */
    @Test
    void anOverrideOfAnUnknownKeyIsRefused() throws Exception {
        ConfigurationFactory<ServiceConfiguration> overridden = factory(ServiceConfiguration.class, "tollgatetest");
        System.setProperty("tollgatetest.redis.port", "6380");
        try {
            assertThat(parse(overridden, "{}").redis.port).isEqualTo(6380);
            System.setProperty("tollgatetest.redis.prot", "6381");
            assertThatThrownBy(() -> parse(overridden, "{}"))
                    .hasMessageContaining("Unrecognized field at: redis.prot");
        } finally {
            System.clearProperty("tollgatetest.redis.port");
            System.clearProperty("tollgatetest.redis.prot");
        }
    }

    @Test
    void aMovedKeyIsRefusedWithWhereItWent() {
        ConfigurationFactory<Moved> moved = factory(Moved.class, "dw");
        assertThatThrownBy(() -> parse(moved, "old: 1\n")).isInstanceOf(ConfigurationParsingException.class)
                .hasMessageContaining("the top-level \"old\" key is now \"new\"");
        assertThatThrownBy(() -> parse(moved, "nod: a\n")).hasMessageContaining("Unrecognized field at: nod");
        // only the service that moved the key points there; to every other one it is unknown
        assertThatThrownBy(() -> parse("old: 1\n")).hasMessageContaining("Unrecognized field at: old")
                .hasMessageNotContaining("is now");
        // a key of that name inside a section is that section's
        assertThatThrownBy(() -> parse(moved, "redis: {old: 1}\n"))
                .hasMessageContaining("Unrecognized field at: redis.old").hasMessageNotContaining("is now");
    }

    public static class Moved extends ServiceConfiguration {
        @Override
        protected Map<String, String> movedKeys() {
            return Map.of("old", "\"new\"");
        }
    }

    /** Request bodies are read by the service's own mapper, which the configuration's strictness leaves alone. */
    @Test
    void theServicesObjectMapperIsNotMadeStrict() {
        ObjectMapper mapper = Jackson.newObjectMapper();
        new ServiceConfigurationFactoryFactory<>().create(ServiceConfiguration.class, Validators.newValidator(),
                mapper, "dw");
        assertThat(mapper.isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)).isFalse();
        assertThat(mapper.getDeserializationConfig().getProblemHandlers()).isNull();
    }

    @Test
    void anEmptyNodeOrAMissingSectionIsRefused() {
        assertThatThrownBy(() -> parse("node: ''\n")).isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("node");
        assertThatThrownBy(() -> parse("redis: null\n")).isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("redis");
    }
}
