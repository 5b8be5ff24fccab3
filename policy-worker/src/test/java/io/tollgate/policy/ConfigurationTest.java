package io.tollgate.policy;

import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.tollgate.policy.license.HttpLicenseSourceFactory;
import io.tollgate.policy.license.LdapLicenseSourceFactory;
import io.tollgate.shared.ldap.LdapDirectoryFactory;
import io.tollgate.shared.crypto.PasswordHashes;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigurationTest {
    private final YamlConfigurationFactory<PolicyWorkerConfiguration> factory = new YamlConfigurationFactory<>(
            PolicyWorkerConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw");

    @Test
    void theShippedYamlParsesAndValidates() throws Exception {
        PolicyWorkerConfiguration config = factory.build(new io.dropwizard.configuration.SubstitutingSourceProvider(new FileConfigurationSourceProvider(), new io.dropwizard.configuration.EnvironmentVariableSubstitutor(false)), "config/local.yml");
        assertThat(config.license).isInstanceOf(LdapLicenseSourceFactory.class);
        assertThat(config.ldap.getUrls()).containsExactly("ldap://127.0.0.1:10389");
        assertThat(config.ldap.getSecurity()).isEqualTo(LdapDirectoryFactory.Security.NONE);
        assertThat(config.ldap.getBindDn()).isEqualTo("cn=admin,dc=tollgate,dc=test");
        assertThat(config.ldap.getBindPassword().toString()).isEqualTo("[REDACTED]");
        assertThat(config.ldap.getUserBaseDn()).isEqualTo("ou=people,dc=tollgate,dc=test");
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

    /** No bind password in code: a bindDn without one is a configuration error, never a silent "admin-secret". */
    @Test
    void theDirectoryHasNoBuiltInPasswordAndTakesTokenApisKeys() throws Exception {
        assertThat(new io.tollgate.policy.ldap.LdapFactory().getBindPassword()).isNull();
        String yaml = "ldap:\n  urls: [ldaps://ldap.example.test:636]\n  security: ldaps\n"
                + "  caBundle: /etc/tollgate/ldap-ca.pem\n  bindDn: cn=reader,dc=example,dc=test\n";
        assertThatThrownBy(() -> factory.build(
                path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "inline"))
                .isInstanceOf(io.dropwizard.configuration.ConfigurationValidationException.class)
                .hasMessageContaining("bindPassword is required with a bindDn");
        PolicyWorkerConfiguration config = factory.build(path -> new ByteArrayInputStream(
                (yaml + "  bindPassword: s3cret\n").getBytes(StandardCharsets.UTF_8)), "inline");
        assertThat(config.ldap.getSecurity()).isEqualTo(LdapDirectoryFactory.Security.LDAPS);
        assertThat(config.ldap.getCaBundle()).isEqualTo("/etc/tollgate/ldap-ca.pem");
        assertThat(config.ldap.getBindPassword().reveal()).isEqualTo("s3cret");
    }
}
