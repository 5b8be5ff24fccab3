package io.tollgate.revocation;

import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigurationTest {
    @Test
    void theShippedYamlParsesAndValidates() throws Exception {
        RevocationStreamConfiguration config = new YamlConfigurationFactory<>(RevocationStreamConfiguration.class,
                Validators.newValidator(), Jackson.newObjectMapper(), "dw")
                .build(new io.dropwizard.configuration.SubstitutingSourceProvider(new FileConfigurationSourceProvider(), new io.dropwizard.configuration.EnvironmentVariableSubstitutor(false)), "config/local.yml");
        assertThat(config.applicationId).isEqualTo("tollgate-revocation-stream");
        assertThat(config.usageGrace.toMinutes()).isEqualTo(5);
        // the retry budget must stay below the transaction timeout derived from it
        assertThat(config.redisRetryBudget.toSeconds()).isLessThan(60);
    }
}
