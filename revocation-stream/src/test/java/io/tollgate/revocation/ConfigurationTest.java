package io.tollgate.revocation;

import io.dropwizard.configuration.ConfigurationFactory;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.tollgate.shared.config.ServiceConfigurationFactoryFactory;
import io.tollgate.shared.crypto.PasswordHashes;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigurationTest {
    private static final ConfigurationFactory<RevocationStreamConfiguration> FACTORY =
            new ServiceConfigurationFactoryFactory<RevocationStreamConfiguration>().create(
                    RevocationStreamConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw");

    @Test
    void theShippedYamlParsesAndValidates() throws Exception {
        RevocationStreamConfiguration config = FACTORY.build(new SubstitutingSourceProvider(
                new FileConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)), "config/local.yml");
        assertThat(config.applicationId).isEqualTo("tollgate-revocation-stream");
        assertThat(config.usageGrace.toMinutes()).isEqualTo(5);
        assertThat(config.tokens.refreshTokenLifetime.toDays()).isEqualTo(30);
        // the retry budget must stay below the transaction timeout derived from it
        assertThat(config.redisRetryBudget.toSeconds()).isLessThan(60);
        // the demo operator of the local stack may run the admin tasks (ops/tollgate rebuild-projection)
        assertThat(config.operators).singleElement().satisfies(op -> {
            assertThat(op.name).isEqualTo("ops");
            assertThat(PasswordHashes.verify("ops-secret", op.passwordHash)).isTrue();
        });
    }

    /** The refresh lifetime is token-api's key: the former key of this service is refused, not silently dropped. */
    @Test
    void theFormerRefreshLifetimeKeyIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FACTORY
                        .build(path -> new java.io.ByteArrayInputStream("refreshLifetime: 7 days\n".getBytes(
                                java.nio.charset.StandardCharsets.UTF_8)), "inline"))
                .hasMessageContaining("is now \"tokens\" with \"refreshTokenLifetime\"");
    }

    /** A misspelt key, at the top or inside a section, stops the start instead of leaving the default. */
    @Test
    void anUnknownKeyIsRefusedWithTheNearestValidNames() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FACTORY.build(path -> new java.io.ByteArrayInputStream(
                        "tokens:\n  refreshTokenLifetme: 7d\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                        "inline"))
                .hasMessageContaining("Unrecognized field at: tokens.refreshTokenLifetme")
                .hasMessageContaining("- refreshTokenLifetime");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FACTORY.build(path -> new java.io.ByteArrayInputStream(
                        "usageGrase: 1m\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)), "inline"))
                .hasMessageContaining("Unrecognized field at: usageGrase").hasMessageContaining("- usageGrace");
    }

    /** The production template: token-api's refresh token lifetime from the variable token-api's template reads. */
    @Test
    void theProductionTemplateTakesTheRefreshLifetimeFromTokenApisVariable() throws Exception {
        Map<String, String> environment = new java.util.HashMap<>(Map.of("TOLLGATE_NODE", "rs-1",
                "TOLLGATE_DATA_DIR", "/data", "TOLLGATE_KAFKA_BOOTSTRAP", "kafka-1:9093",
                "TOLLGATE_KAFKA_USERNAME", "tollgate-revocation-stream", "TOLLGATE_KAFKA_PASSWORD", "a-kafka-secret",
                "TOLLGATE_REDIS_HOST", "redis", "TOLLGATE_OPERATOR_NAME", "ops",
                "TOLLGATE_OPERATOR_PASSWORD_HASH", PasswordHashes.hash("x", 1_000)));
        assertThat(production(environment).tokens.refreshTokenLifetime.toDays()).isEqualTo(30);
        environment.put("TOLLGATE_REFRESH_TOKEN_LIFETIME", "7d");
        assertThat(production(environment).tokens.refreshTokenLifetime.toDays()).isEqualTo(7);
    }

    private static RevocationStreamConfiguration production(Map<String, String> environment) throws Exception {
        return FACTORY.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
                new StringSubstitutor(environment)), "config/production.yml");
    }

    /** Two instances on one host must not share a Streams state directory (Streams locks it). */
    @Test
    void eachNodeGetsAStateDirectoryOfItsOwn() throws Exception {
        assertThat(stateDirOf("a")).isEqualTo("/data/revocation-stream/a");
        assertThat(stateDirOf("b")).isEqualTo("/data/revocation-stream/b");
    }

    private static String stateDirOf(String node) throws Exception {
        StringSubstitutor environment = new StringSubstitutor(Map.of("TOLLGATE_NODE", node, "TOLLGATE_DATA_DIR", "/data"));
        return FACTORY.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(), environment),
                "config/local.yml").stateDir;
    }
}
