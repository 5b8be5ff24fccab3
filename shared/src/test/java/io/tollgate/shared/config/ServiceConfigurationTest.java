package io.tollgate.shared.config;

import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The keys every service's YAML shares, read by Dropwizard's own factory with a real validator. */
class ServiceConfigurationTest {
    private final YamlConfigurationFactory<ServiceConfiguration> factory = new YamlConfigurationFactory<>(
            ServiceConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw");

    private ServiceConfiguration parse(String yaml) throws Exception {
        return factory.build(path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "inline");
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
    void aMovedKeyIsRefusedWithWhereItWentAndAnyOtherUnknownKeyToo() throws Exception {
        YamlConfigurationFactory<Moved> moved = new YamlConfigurationFactory<>(Moved.class, Validators.newValidator(),
                Jackson.newObjectMapper(), "dw");
        assertThatThrownBy(() -> moved.build(path -> new ByteArrayInputStream("old: 1\n".getBytes(StandardCharsets.UTF_8)),
                "inline")).hasMessageContaining("the top-level \"old\" key is now \"new\"");
        assertThatThrownBy(() -> moved.build(path -> new ByteArrayInputStream("nod: a\n".getBytes(StandardCharsets.UTF_8)),
                "inline")).hasMessageContaining("unknown top-level key \"nod\"");
        assertThatThrownBy(() -> parse("tokns: {}\n")).hasMessageContaining("unknown top-level key \"tokns\"");
    }

    public static class Moved extends ServiceConfiguration {
        @Override
        protected java.util.Map<String, String> movedKeys() {
            return java.util.Map.of("old", "\"new\"");
        }
    }

    @Test
    void anEmptyNodeOrAMissingSectionIsRefused() {
        assertThatThrownBy(() -> parse("node: ''\n")).isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("node");
        assertThatThrownBy(() -> parse("redis: null\n")).isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("redis");
    }
}
