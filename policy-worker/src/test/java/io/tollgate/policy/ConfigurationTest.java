package io.tollgate.policy;

import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.tollgate.policy.license.HttpLicenseSourceFactory;
import io.tollgate.policy.license.LdapLicenseSourceFactory;
import io.tollgate.shared.crypto.PasswordHashes;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigurationTest {
    private final YamlConfigurationFactory<PolicyWorkerConfiguration> factory = new YamlConfigurationFactory<>(
            PolicyWorkerConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw");

    @Test
    void theShippedYamlParsesAndValidates() throws Exception {
        PolicyWorkerConfiguration config = factory.build(new io.dropwizard.configuration.SubstitutingSourceProvider(new FileConfigurationSourceProvider(), new io.dropwizard.configuration.EnvironmentVariableSubstitutor(false)), "config/local.yml");
        assertThat(config.license).isInstanceOf(LdapLicenseSourceFactory.class);
        assertThat(config.ldap.bindDn).isEqualTo("cn=admin,dc=tollgate,dc=test");
        assertThat(config.ldap.bindPassword.toString()).isEqualTo("[REDACTED]");
        assertThat(new File("config/local.yml")).exists();
        // the demo operator of the local stack may run the admin tasks (ops/tollgate and curl -u ops:ops-secret)
        assertThat(config.operators).singleElement().satisfies(op -> {
            assertThat(op.getName()).isEqualTo("ops");
            assertThat(PasswordHashes.verify("ops-secret", op.getPasswordHash())).isTrue();
        });
    }

    @Test
    void theLicenseSourceIsChosenByType() throws Exception {
        String yaml = "license:\n  type: http\n  url: http://127.0.0.1:9100/licenses\n";
        PolicyWorkerConfiguration config = factory.build(
                path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "inline");
        assertThat(config.license).isInstanceOf(HttpLicenseSourceFactory.class);
        assertThat(((HttpLicenseSourceFactory) config.license).url).isEqualTo("http://127.0.0.1:9100/licenses");
    }
}
