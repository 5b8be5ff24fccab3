package io.tollgate.tokenapi.config;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.ConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.tollgate.shared.config.ServiceConfigurationFactoryFactory;
import io.tollgate.shared.crypto.PasswordHashes;
import io.tollgate.tokenapi.TokenApiConfiguration;
import io.tollgate.tokenapi.idp.HttpIdentityProviderFactory;
import io.tollgate.tokenapi.idp.LdapIdentityProviderFactory;
import io.tollgate.tokenapi.mail.FileOutboxMailSenderFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShippedConfigurationTest {
    private final ConfigurationFactory<TokenApiConfiguration> factory =
            new ServiceConfigurationFactoryFactory<TokenApiConfiguration>().create(TokenApiConfiguration.class,
                    Validators.newValidator(), Jackson.newObjectMapper(), "dw");

    private TokenApiConfiguration load(Path file) throws Exception {
        return factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
                new EnvironmentVariableSubstitutor(false)), file.toString());
    }

    @Test
    void everyShippedYamlParsesAndValidates() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("config"))) {
            files = s.filter(p -> p.toString().endsWith(".yml")).toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(3);
        for (Path file : files) {
            if (file.endsWith("production.yml")) {
                continue; // everything from the environment: productionTemplateTakesEverythingFromTheEnvironment
            }
            TokenApiConfiguration config = load(file);
            assertThat(config.issuer).as(file.toString()).isEqualTo("http://127.0.0.1:8080");
            assertThat(config.keys.file).endsWith("token-api/jwks.json");
        }
    }

    /** A deployment's environment: listeners on other addresses and ports, a load balancer's networks trusted. */
    @Test
    void listenersAndTrustedProxiesComeFromTheEnvironment() throws Exception {
        org.apache.commons.text.StringSubstitutor environment = new org.apache.commons.text.StringSubstitutor(
                java.util.Map.of("TOLLGATE_BIND_HOST", "0.0.0.0", "TOLLGATE_ADMIN_BIND_HOST", "10.0.0.5",
                        "TOLLGATE_TOKEN_API_PORT", "18080", "TOLLGATE_TOKEN_API_ADMIN_PORT", "18081",
                        "TOLLGATE_TRUSTED_PROXIES", "10.0.0.0/8,\"fd00::/8\", 192.0.2.7",
                        "TOLLGATE_FORWARDED_HEADER", "FORWARDED"));
        for (String file : List.of("config/local.yml", "config/http-idp.yml")) {
            TokenApiConfiguration config = factory.build(new SubstitutingSourceProvider(
                    new FileConfigurationSourceProvider(), environment), file);
            var server = (io.dropwizard.core.server.DefaultServerFactory) config.getServerFactory();
            var app = (io.dropwizard.jetty.HttpConnectorFactory) server.getApplicationConnectors().get(0);
            var admin = (io.dropwizard.jetty.HttpConnectorFactory) server.getAdminConnectors().get(0);
            assertThat(app.getBindHost()).as(file).isEqualTo("0.0.0.0");
            assertThat(app.getPort()).as(file).isEqualTo(18080);
            assertThat(admin.getBindHost()).as(file).isEqualTo("10.0.0.5");
            assertThat(admin.getPort()).as(file).isEqualTo(18081);
            assertThat(config.clientAddress.trustedProxies).as(file)
                    .containsExactly("10.0.0.0/8", "fd00::/8", "192.0.2.7");
            var addresses = config.clientAddress.build();
            assertThat(addresses.resolve("fd00::9", List.of("for=198.51.100.7"))).isEqualTo("198.51.100.7");
        }
        for (String file : List.of("config/local.yml", "config/http-idp.yml")) {
            TokenApiConfiguration config = load(Path.of(file));
            var server = (io.dropwizard.core.server.DefaultServerFactory) config.getServerFactory();
            if (System.getenv("TOLLGATE_BIND_HOST") == null) {
                assertThat(((io.dropwizard.jetty.HttpConnectorFactory) server.getApplicationConnectors().get(0))
                        .getBindHost()).isEqualTo("127.0.0.1");
            }
            if (System.getenv("TOLLGATE_TRUSTED_PROXIES") == null) {
                assertThat(config.clientAddress.trustedProxies).as(file).isEmpty();
                assertThat(config.clientAddress.build().resolve("127.0.0.1", List.of("198.51.100.7")))
                        .isEqualTo("127.0.0.1");
            }
        }
    }

    @Test
    void aTrustedProxyThatIsNoAddressIsRefused() throws Exception {
        ClientAddressSettings settings = new ClientAddressSettings();
        settings.trustedProxies = List.of("10.0.0.0/8", "lb.example.com");
        assertThat(Validators.newValidator().validate(settings)).extracting(v -> v.getMessage())
                .anyMatch(m -> m.contains("trustedProxies must be CIDR blocks"));
    }

    @Test
    void productionTemplateTakesEverythingFromTheEnvironmentAndAllowsNoDemoKey() throws Exception {
        String OPERATOR_HASH = io.tollgate.shared.crypto.PasswordHashes.hash("a-platform-team-secret");
        java.util.Map<String, String> env = java.util.Map.ofEntries(
                java.util.Map.entry("TOLLGATE_ISSUER", "https://login.example.com"),
                java.util.Map.entry("TOLLGATE_NODE", "tok-1"),
                java.util.Map.entry("TOLLGATE_KEYS_FILE", "/etc/tollgate/keys.json"),
                java.util.Map.entry("TOLLGATE_KAFKA_BOOTSTRAP", "kafka-1:9093"),
                java.util.Map.entry("TOLLGATE_KAFKA_USERNAME", "tollgate-token-api"),
                java.util.Map.entry("TOLLGATE_KAFKA_PASSWORD", "scram-secret"),
                java.util.Map.entry("TOLLGATE_REDIS_HOST", "redis"),
                java.util.Map.entry("TOLLGATE_LDAP_URLS", "ldaps://ldap-1.example.com:636,ldaps://ldap-2.example.com"),
                java.util.Map.entry("TOLLGATE_LDAP_GROUP_BASE_DN", "ou=groups,dc=example,dc=com"),
                java.util.Map.entry("TOLLGATE_SMTP_HOST", "smtp.example.com"),
                java.util.Map.entry("TOLLGATE_MAIL_FROM", "portal@example.com"),
                java.util.Map.entry("TOLLGATE_OPERATOR_NAME", "platform"),
                java.util.Map.entry("TOLLGATE_OPERATOR_PASSWORD_HASH", OPERATOR_HASH));
        TokenApiConfiguration config = factory.build(new SubstitutingSourceProvider(
                new FileConfigurationSourceProvider(), new org.apache.commons.text.StringSubstitutor(env::get)),
                "config/production.yml");
        assertThat(config.issuer).isEqualTo("https://login.example.com");
        assertThat(config.keys.file).isEqualTo("/etc/tollgate/keys.json");
        assertThat(config.keys.generateIfMissing).isFalse();
        assertThat(config.keys.allowDemoKeys).isFalse();
        assertThat(config.operators).singleElement().satisfies(operator -> {
            assertThat(operator.name).isEqualTo("platform");
            assertThat(operator.passwordHash).isEqualTo(OPERATOR_HASH);
        });
        assertThat(config.resourceServers).isEmpty();
        assertThat(config.redis.endpoint()).satisfies(endpoint -> {
            assertThat(endpoint.usesSentinel()).isFalse();
            assertThat(endpoint.primary()).isEqualTo(new redis.clients.jedis.HostAndPort("redis", 6379));
            assertThat(endpoint.tls()).isFalse();
            assertThat(endpoint.handshake()).isEmpty();
        });
        assertThat(((LdapIdentityProviderFactory) config.identityProvider).urls)
                .containsExactly("ldaps://ldap-1.example.com:636", "ldaps://ldap-2.example.com");
        assertThat(((LdapIdentityProviderFactory) config.identityProvider).groupsFrom).as("any LDAP server")
                .isEqualTo(LdapIdentityProviderFactory.GroupSource.MEMBER_SEARCH);
        assertThat(config.kafka.securityProtocol)
                .isEqualTo(org.apache.kafka.common.security.auth.SecurityProtocol.SASL_SSL);
        assertThat(config.kafka.sasl.username).isEqualTo("tollgate-token-api");
        assertThat(load(Path.of("config/local.yml")).keys.generateIfMissing).isTrue();
        assertThat(load(Path.of("config/local.yml")).keys.allowDemoKeys).isTrue();
    }

    @Test
    void localConfigIsTheDemoStack() throws Exception {
        TokenApiConfiguration config = load(Path.of("config/local.yml"));
        assertThat(config.identityProvider).isInstanceOf(LdapIdentityProviderFactory.class);
        var ldap = (LdapIdentityProviderFactory) config.identityProvider;
        assertThat(ldap.urls).containsExactly("ldap://127.0.0.1:10389");
        assertThat(ldap.bindPassword.toString()).isEqualTo("[REDACTED]");
        // the demo directory keeps memberOf (testkit's LdapDirectory): groups come with the user search
        assertThat(ldap.groupsFrom).isEqualTo(LdapIdentityProviderFactory.GroupSource.MEMBER_OF);
        assertThat(ldap.memberOfAttribute).isEqualTo("memberOf");
        assertThat(config.kafka.bootstrapServers).isEqualTo("127.0.0.1:9092");
        assertThat(config.redis.port).isEqualTo(6379);
        assertThat(config.entitlements.get("mobile").requiredGroup).isEqualTo("mobile-users");
        assertThat(config.lockout.userFailures).isLessThan(config.lockout.ipFailures);
        assertThat(PasswordHashes.verify("ops-secret", config.operators.get(0).passwordHash)).isTrue();
        assertThat(PasswordHashes.verify("gateway-secret", config.resourceServers.get(0).passwordHash))
                .isTrue();
        assertThat(config.tokens.accessTokenLifetime.toMinutes()).isEqualTo(5);
        assertThat(config.tokens.refreshTokenLifetime.toDays()).isEqualTo(30);
        // The local stack's portal mail is the file outbox under the data directory, printed on the console.
        assertThat(config.portal.mail).isInstanceOf(FileOutboxMailSenderFactory.class);
        var outbox = (FileOutboxMailSenderFactory) config.portal.mail;
        assertThat(outbox.directory).endsWith("token-api/outbox");
        assertThat(outbox.console).isTrue();
        assertThat(config.portal.verificationLifetime.toHours()).isEqualTo(24);
        assertThat(config.portal.hashesPerClientAddress).isEqualTo(20);
        assertThat(config.portal.maxConcurrentHashes).isEqualTo(2);
        assertThat(config.portal.sessionLifetime.toHours()).isEqualTo(8);
        assertThat(config.portal.loginFailuresPerEmail).isEqualTo(5);
        assertThat(config.portal.loginFailuresPerClientAddress).isEqualTo(20);
        assertThat(config.portal.loginFailureWindow.toMinutes()).isEqualTo(15);
    }

    @Test
    void theHttpIdentityProviderStackWritesPortalMailToTheOutboxAsTheLdapOneDoes() throws Exception {
        TokenApiConfiguration config = load(Path.of("config/http-idp.yml"));
        assertThat(config.portal.mail).isInstanceOf(FileOutboxMailSenderFactory.class);
        assertThat(config.portal.publicUrl).isEqualTo("http://127.0.0.1:8080");
    }

    @Test
    void httpIdentityProviderIsChosenByType() throws Exception {
        TokenApiConfiguration config = load(Path.of("config/http-idp.yml"));
        assertThat(config.identityProvider).isInstanceOfSatisfying(HttpIdentityProviderFactory.class, idp -> {
            assertThat(idp.url).hasToString("http://127.0.0.1:9100/credentials/check");
            assertThat(idp.profileUrl).isEqualTo("http://127.0.0.1:9100/users/{sub}");
            assertThat(idp.retries).isEqualTo(2);
            assertThat(idp.disabledField).isEqualTo("disabled");
            assertThat(idp.licenseField).isEqualTo("licenseExpires");
            assertThat(idp.authorization).isNull();
        });
    }

    /** A misspelt key inside a section, one chosen by type too, stops the start instead of leaving the default. */
    @Test
    void anUnknownNestedKeyIsRefusedWithTheNearestValidNames(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Path typo = dir.resolve("typo.yml");
        Files.writeString(typo, """
                identityProvider:
                  type: ldap
                  bindPasword: a-directory-secret
                """);
        assertThatThrownBy(() -> load(typo)).hasMessageContaining("Unrecognized field at: identityProvider.bindPasword")
                .hasMessageContaining("- bindPassword").hasMessageNotContaining("a-directory-secret");
        Files.writeString(typo, """
                portal:
                  mail:
                    type: smtp
                    hots: smtp.example.com
                """);
        assertThatThrownBy(() -> load(typo)).hasMessageContaining("Unrecognized field at: portal.mail.hots")
                .hasMessageContaining("- host");
        Files.writeString(typo, "lockout:\n  userFailurs: 3\n");
        assertThatThrownBy(() -> load(typo)).hasMessageContaining("Unrecognized field at: lockout.userFailurs")
                .hasMessageContaining("- userFailures");
    }

    @Test
    void nestedSettingsAreValidated(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.yml");
        Files.writeString(bad, """
                identityProvider:
                  type: ldap
                  urls: []
                lockout:
                  userFailures: 0
                operators:
                  - name: ops
                portal:
                  hashesPerClientAddress: 0
                  mail:
                    type: smtp
                    port: 0
                """);
        assertThatThrownBy(() -> load(bad)).hasMessageContaining("urls").hasMessageContaining("userFailures")
                .hasMessageContaining("passwordHash").hasMessageContaining("portal.hashesPerClientAddress")
                .hasMessageContaining("portal.mail.host").hasMessageContaining("portal.mail.from")
                .hasMessageContaining("portal.mail.port");
    }

    /** The local config with its groupsFrom and memberOfAttribute lines replaced by {@code lines}. */
    private TokenApiConfiguration localWith(Path dir, String lines) throws Exception {
        String local = Files.readString(Path.of("config/local.yml"));
        String shipped = "  groupsFrom: memberOf\n  memberOfAttribute: memberOf\n";
        assertThat(local).contains(shipped);
        Path file = dir.resolve("groups.yml");
        Files.writeString(file, local.replace(shipped, lines));
        return load(file);
    }

    @Test
    void whereGroupsComeFromIsValidated(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        var idp = (LdapIdentityProviderFactory) localWith(dir, "  groupsFrom: memberOf\n  memberOfAttribute: isMemberOf\n")
                .identityProvider;
        assertThat(idp.groupsFrom).isEqualTo(LdapIdentityProviderFactory.GroupSource.MEMBER_OF);
        assertThat(idp.memberOfAttribute).isEqualTo("isMemberOf");
        idp = (LdapIdentityProviderFactory) localWith(dir, "").identityProvider;
        assertThat(idp.groupsFrom).as("the default").isEqualTo(LdapIdentityProviderFactory.GroupSource.MEMBER_SEARCH);
        assertThat(idp.memberOfAttribute).isEqualTo("memberOf");
        assertThatThrownBy(() -> localWith(dir, "  groupsFrom: memberAttribute\n"))
                .hasMessageContaining("identityProvider.groupsFrom");
        assertThatThrownBy(() -> localWith(dir, "  groupsFrom: memberOf\n  memberOfAttribute: \"memberOf)(uid=*\"\n"))
                .hasMessageContaining("memberOfAttribute must be an LDAP attribute name or OID");
        Path bad = dir.resolve("bad-base.yml");
        Files.writeString(bad, Files.readString(Path.of("config/local.yml"))
                .replace("groupBaseDn: ou=groups,dc=tollgate,dc=test", "groupBaseDn: not a dn"));
        assertThatThrownBy(() -> load(bad)).hasMessageContaining("groupBaseDn must be a DN");
    }
}
