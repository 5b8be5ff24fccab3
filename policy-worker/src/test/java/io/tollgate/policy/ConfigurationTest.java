package io.tollgate.policy;

import io.dropwizard.configuration.ConfigurationFactory;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.tollgate.policy.account.HttpAccountSourceFactory;
import io.tollgate.policy.account.NoAccountSourceFactory;
import io.tollgate.policy.ldap.LdapFactory;
import io.tollgate.policy.license.HttpLicenseSourceFactory;
import io.tollgate.policy.license.NoLicenseSourceFactory;
import io.tollgate.policy.license.ProfileLicenseSourceFactory;
import io.tollgate.shared.config.ServiceConfigurationFactoryFactory;
import io.tollgate.shared.crypto.PasswordHashes;
import io.tollgate.shared.ldap.LdapDirectoryFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigurationTest {
    private final ConfigurationFactory<PolicyWorkerConfiguration> factory =
            new ServiceConfigurationFactoryFactory<PolicyWorkerConfiguration>().create(PolicyWorkerConfiguration.class,
                    Validators.newValidator(), Jackson.newObjectMapper(), "dw");

    private PolicyWorkerConfiguration load(Path file) throws Exception {
        return factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
                new EnvironmentVariableSubstitutor(false)), file.toString());
    }

    private PolicyWorkerConfiguration parse(String yaml) throws Exception {
        return factory.build(path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "inline");
    }

    @Test
    void everyShippedYamlParsesAndValidates() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("config"))) {
            files = s.filter(p -> p.toString().endsWith(".yml") && !p.endsWith("production.yml")).toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("local.yml", "http-idp.yml");
        for (Path file : files) {
            PolicyWorkerConfiguration config = load(file);
            // the demo operator of the local stack may run the admin tasks (ops/tollgate and curl -u ops:ops-secret)
            assertThat(config.operators).as(file.toString()).singleElement().satisfies(op -> {
                assertThat(op.name).isEqualTo("ops");
                assertThat(PasswordHashes.verify("ops-secret", op.passwordHash)).isTrue();
            });
        }
    }

    /** The production template: everything from the environment, the operator too (no demo operator). */
    @Test
    void productionTemplateTakesEverythingFromTheEnvironment() throws Exception {
        String operatorHash = PasswordHashes.hash("a-platform-team-secret");
        java.util.Map<String, String> env = java.util.Map.ofEntries(java.util.Map.entry("TOLLGATE_NODE", "pw-1"),
                java.util.Map.entry("TOLLGATE_KAFKA_BOOTSTRAP", "kafka-1:9093"),
                java.util.Map.entry("TOLLGATE_KAFKA_USERNAME", "tollgate-policy-worker"),
                java.util.Map.entry("TOLLGATE_KAFKA_PASSWORD", "a-kafka-secret"),
                java.util.Map.entry("TOLLGATE_REDIS_HOST", "redis"),
                java.util.Map.entry("TOLLGATE_LDAP_URL", "ldaps://ldap.example.com:636"),
                java.util.Map.entry("TOLLGATE_LDAP_URLS", "ldaps://ldap.example.com:636"),
                java.util.Map.entry("TOLLGATE_LDAP_BIND_DN", "cn=tollgate,dc=example,dc=com"),
                java.util.Map.entry("TOLLGATE_LDAP_BIND_PASSWORD", "a-directory-secret"),
                java.util.Map.entry("TOLLGATE_LDAP_USER_BASE_DN", "ou=people,dc=example,dc=com"),
                java.util.Map.entry("TOLLGATE_LDAP_GROUP_BASE_DN", "ou=groups,dc=example,dc=com"),
                java.util.Map.entry("TOLLGATE_OPERATOR_NAME", "platform"),
                java.util.Map.entry("TOLLGATE_OPERATOR_PASSWORD_HASH", operatorHash));
        PolicyWorkerConfiguration config = factory.build(new SubstitutingSourceProvider(
                new FileConfigurationSourceProvider(), new org.apache.commons.text.StringSubstitutor(env::get)),
                "config/production.yml");
        assertThat(config.operators).singleElement().satisfies(op -> {
            assertThat(op.name).isEqualTo("platform");
            assertThat(op.passwordHash).isEqualTo(operatorHash);
        });
        assertThat(config.identityProvider).isInstanceOfSatisfying(LdapFactory.class, ldap ->
                assertThat(ldap.urls).containsExactly("ldaps://ldap.example.com:636"));
    }

    @Test
    void theLocalYamlReadsTheDirectory() throws Exception {
        PolicyWorkerConfiguration config = load(Path.of("config/local.yml"));
        assertThat(config.license).isInstanceOf(ProfileLicenseSourceFactory.class);
        assertThat(config.identityProvider).isInstanceOfSatisfying(LdapFactory.class, ldap -> {
            assertThat(ldap.urls).containsExactly("ldap://127.0.0.1:10389");
            assertThat(ldap.security).isEqualTo(LdapDirectoryFactory.Security.NONE);
            assertThat(ldap.bindDn).isEqualTo("cn=admin,dc=tollgate,dc=test");
            assertThat(ldap.bindPassword.toString()).isEqualTo("[REDACTED]");
            assertThat(ldap.userBaseDn).isEqualTo("ou=people,dc=tollgate,dc=test");
            assertThat(ldap.licenseAttribute).isEqualTo("tollgateLicenseExpires");
            assertThat(ldap.disabledAttribute).isEqualTo("pwdAccountLockedTime");
        });
    }

    /** The same variables and defaults as token-api's config/http-idp.yml; {@code %7Bsub%7D} is {@code {sub}}. */
    @Test
    void theHttpIdpYamlReadsTheProvidersProfiles() throws Exception {
        PolicyWorkerConfiguration config = load(Path.of("config/http-idp.yml"));
        assertThat(config.license).isInstanceOf(ProfileLicenseSourceFactory.class);
        assertThat(config.identityProvider).isInstanceOfSatisfying(HttpAccountSourceFactory.class, idp -> {
            assertThat(idp.url).hasToString("http://127.0.0.1:9100/credentials/check");
            assertThat(idp.profileUrl).isEqualTo("http://127.0.0.1:9100/users/{sub}");
            assertThat(idp.retries).isEqualTo(2);
            assertThat(idp.subjectField).isEqualTo("sub");
            assertThat(idp.licenseField).isEqualTo("licenseExpires");
            assertThat(idp.disabledField).isEqualTo("disabled");
        });
    }

    @Test
    void theHttpProviderNeedsAProfileUrlWithSubAndHidesItsAuthorization() throws Exception {
        String yaml = "identityProvider:\n  type: http\n  url: http://idp.example.test/check\n";
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("profileUrl is required");
        assertThatThrownBy(() -> parse(yaml + "  profileUrl: http://idp.example.test/users/alice\n"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("profileUrl must contain {sub}");
        PolicyWorkerConfiguration config = parse(yaml + "  profileUrl: http://idp.example.test/users/{sub}\n"
                + "  authorization: Bearer s3cret\n");
        HttpAccountSourceFactory idp = (HttpAccountSourceFactory) config.identityProvider;
        assertThat(idp.authorization.reveal()).isEqualTo("Bearer s3cret");
        assertThat(idp.authorization.toString()).isEqualTo("[REDACTED]");
    }

    @Test
    void theLicenseSourceIsChosenByType() throws Exception {
        PolicyWorkerConfiguration http = parse("license:\n  type: http\n  url: http://127.0.0.1:9100/licenses\n");
        assertThat(http.license).isInstanceOf(HttpLicenseSourceFactory.class);
        assertThat(((HttpLicenseSourceFactory) http.license).url).isEqualTo("http://127.0.0.1:9100/licenses");
        assertThat(http.license.enforced()).isTrue();
        PolicyWorkerConfiguration none = parse("license:\n  type: none\n");
        assertThat(none.license).isInstanceOf(NoLicenseSourceFactory.class);
        assertThat(none.license.enforced()).isFalse();
        assertThat(parse("license:\n  type: profile\n").license).isInstanceOf(ProfileLicenseSourceFactory.class);
        assertThatThrownBy(() -> parse("license:\n  type: ldap\n")).as("renamed to profile")
                .hasMessageContaining("ldap");
    }

    /** Without an identity provider the account check is off; a licence "from the profile" would deny everyone. */
    @Test
    void noIdentityProviderTurnsTheAccountCheckOffAndNeedsAnotherLicenseSource() throws Exception {
        assertThatThrownBy(() -> parse("identityProvider:\n  type: none\n"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("license.type profile needs an identityProvider");
        PolicyWorkerConfiguration config = parse("identityProvider:\n  type: none\nlicense:\n  type: none\n");
        assertThat(config.identityProvider).isInstanceOf(NoAccountSourceFactory.class);
        assertThat(config.identityProvider.build(null).find("anyone"))
                .hasValueSatisfying(entry -> assertThat(entry.disabled()).isFalse());
    }

    @Test
    void theOldTopLevelLdapKeyIsRefused() {
        assertThatThrownBy(() -> parse("ldap:\n  urls: [ldap://127.0.0.1:10389]\n"))
                .hasMessageContaining("is now \"identityProvider\" with \"type: ldap\"");
        assertThatThrownBy(() -> parse("revocationLifetime: 7 days\n"))
                .hasMessageContaining("is now \"tokens\" with \"refreshTokenLifetime\"");
    }

    /** A misspelt key inside a section chosen by type stops the start instead of leaving the default. */
    @Test
    void anUnknownKeyInsideATypedSectionIsRefused() {
        assertThatThrownBy(() -> parse("license:\n  type: http\n  ulr: http://licenses.internal/licenses\n"))
                .hasMessageContaining("Unrecognized field at: license.ulr").hasMessageContaining("- url");
        assertThatThrownBy(() -> parse("identityProvider:\n  type: ldap\n  bindPasword: a-directory-secret\n"))
                .hasMessageContaining("Unrecognized field at: identityProvider.bindPasword")
                .hasMessageContaining("- bindPassword").hasMessageNotContaining("a-directory-secret");
    }

    /** A policy revocation lasts as long as the longest token, read from token-api's keys. */
    @Test
    void revocationsLastAsLongAsTheLongestTokenLifetime() throws Exception {
        assertThat(parse("{}").tokens.revocationLifetime()).isEqualTo(java.time.Duration.ofDays(30));
        assertThat(parse("tokens:\n  refreshTokenLifetime: 7d\n").tokens.revocationLifetime())
                .isEqualTo(java.time.Duration.ofDays(7));
    }

    /** No bind password in code: a bindDn without one is a configuration error, never a silent "admin-secret". */
    @Test
    void theDirectoryHasNoBuiltInPasswordAndTakesTokenApisKeys() throws Exception {
        assertThat(new LdapFactory().bindPassword).isNull();
        String yaml = "identityProvider:\n  type: ldap\n  urls: [ldaps://ldap.example.test:636]\n  security: ldaps\n"
                + "  caBundle: /etc/tollgate/ldap-ca.pem\n  bindDn: cn=reader,dc=example,dc=test\n";
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("bindPassword is required with a bindDn");
        PolicyWorkerConfiguration config = parse(yaml + "  bindPassword: s3cret\n");
        LdapFactory ldap = (LdapFactory) config.identityProvider;
        assertThat(ldap.security).isEqualTo(LdapDirectoryFactory.Security.LDAPS);
        assertThat(ldap.caBundle).isEqualTo("/etc/tollgate/ldap-ca.pem");
        assertThat(ldap.bindPassword.reveal()).isEqualTo("s3cret");
    }
}
