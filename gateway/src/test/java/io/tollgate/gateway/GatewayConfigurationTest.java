package io.tollgate.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.ConfigurationFactory;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.tollgate.gateway.config.RouteConfig;
import io.tollgate.gateway.config.TlsEngine;
import io.tollgate.gateway.core.Route;
import io.tollgate.shared.config.ServiceConfigurationFactoryFactory;
import io.tollgate.shared.crypto.PasswordHashes;
import org.junit.jupiter.api.Test;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayConfigurationTest {
    private final ObjectMapper mapper = Jackson.newObjectMapper();
    private final ConfigurationFactory<GatewayConfiguration> factory =
            new ServiceConfigurationFactoryFactory<GatewayConfiguration>().create(GatewayConfiguration.class,
                    Validators.newValidator(), mapper, "dw");

    /** A deployment's environment: the proxy and the admin port on other addresses and ports. */
    @Test
    void listenersComeFromTheEnvironment() throws Exception {
        org.apache.commons.text.StringSubstitutor environment = new org.apache.commons.text.StringSubstitutor(
                java.util.Map.of("TOLLGATE_BIND_HOST", "0.0.0.0", "TOLLGATE_ADMIN_BIND_HOST", "10.0.0.5",
                        "TOLLGATE_GATEWAY_PORT", "18000", "TOLLGATE_GATEWAY_ADMIN_PORT", "18001"));
        GatewayConfiguration config = factory.build(new SubstitutingSourceProvider(
                new FileConfigurationSourceProvider(), environment), "config/local.yml");
        assertThat(config.proxy.bindHost).isEqualTo("0.0.0.0");
        assertThat(config.proxy.port).isEqualTo(18000);
        var admin = (io.dropwizard.jetty.HttpConnectorFactory)
                ((io.dropwizard.core.server.DefaultServerFactory) config.getServerFactory()).getAdminConnectors().get(0);
        assertThat(admin.getBindHost()).isEqualTo("10.0.0.5");
        assertThat(admin.getPort()).isEqualTo(18001);
    }

    /** {@code TOLLGATE_LOG_FORMAT} picks the console layout: Dropwizard's text lines by default, JSON objects on json. */
    @ParameterizedTest
    @ValueSource(strings = {"", "text", "json"})
    void theLogFormatIsChosenByAnEnvironmentVariable(String format) throws Exception {
        java.util.Map<String, String> env = format.isEmpty() ? java.util.Map.of()
                : java.util.Map.of("TOLLGATE_LOG_FORMAT", format);
        GatewayConfiguration config = factory.build(new SubstitutingSourceProvider(
                new FileConfigurationSourceProvider(), new org.apache.commons.text.StringSubstitutor(env)),
                "config/local.yml");

        var logging = (io.dropwizard.logging.common.DefaultLoggingFactory) config.getLoggingFactory();
        assertThat(logging.getAppenders()).singleElement()
                .isInstanceOfSatisfying(io.dropwizard.logging.common.ConsoleAppenderFactory.class, console ->
                        assertThat(console.getLayout()).isInstanceOf(format.equals("json")
                                ? io.dropwizard.logging.json.EventJsonLayoutBaseFactory.class
                                : io.tollgate.shared.logging.TextLayoutFactory.class));
    }

    @Test
    void shippedLocalYamlParsesAndValidates() throws Exception {
        GatewayConfiguration config = factory.build(new SubstitutingSourceProvider(
                new FileConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)), "config/local.yml");

        assertThat(config.proxy.port).isEqualTo(8000);
        // routes come from the registry (the local stack publishes API mobile); no static route
        assertThat(config.routes).isEmpty();
        assertThat(config.routeDefaults.connectTimeout.toJavaDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.routeDefaults.readTimeout.toJavaDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.routeDefaults.identityHeaderFamilies).isEmpty();
        assertThat(config.tokenState.stalenessBound.toJavaDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.tokenState.maxEntryAge.toJavaDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.tokens.algorithms).containsExactly("EdDSA", "ES256", "RS256");
        assertThat(config.redis.timeout).isEqualTo(Duration.ofMillis(500));
        // the demo operator of the local stack may run the admin tasks
        assertThat(config.operators).singleElement().satisfies(op -> {
            assertThat(op.name).isEqualTo("ops");
            assertThat(PasswordHashes.verify("ops-secret", op.passwordHash)).isTrue();
        });
    }

    /** The production template: every required value from the environment, the listener on TLS. */
    @Test
    void productionTemplateTakesEverythingFromTheEnvironment() throws Exception {
        String operatorHash = PasswordHashes.hash("a-platform-team-secret", 1_000);
        java.util.Map<String, String> env = new java.util.HashMap<>(java.util.Map.of("TOLLGATE_NODE", "gw-1",
                "TOLLGATE_GATEWAY_TLS_CERT", "/etc/tollgate/gateway-chain.pem",
                "TOLLGATE_GATEWAY_TLS_KEY", "/etc/tollgate/gateway-key.pem",
                "TOLLGATE_JWKS_URL", "https://login.example.com/oauth2/jwks",
                "TOLLGATE_ISSUER", "https://login.example.com", "TOLLGATE_KAFKA_BOOTSTRAP", "kafka-1:9093",
                "TOLLGATE_KAFKA_USERNAME", "tollgate-gateway", "TOLLGATE_KAFKA_PASSWORD", "a-kafka-secret",
                "TOLLGATE_REDIS_HOST", "redis"));
        env.putAll(java.util.Map.of("TOLLGATE_OPERATOR_NAME", "platform",
                "TOLLGATE_OPERATOR_PASSWORD_HASH", operatorHash));
        GatewayConfiguration config = factory.build(new SubstitutingSourceProvider(
                new FileConfigurationSourceProvider(), new org.apache.commons.text.StringSubstitutor(env::get)),
                "config/production.yml");
        assertThat(config.node).isEqualTo("gw-1");
        assertThat(config.proxy.port).isEqualTo(8443);
        assertThat(config.proxy.tls.certificateChain).isEqualTo("/etc/tollgate/gateway-chain.pem");
        assertThat(config.proxy.tlsEngine).isEqualTo(TlsEngine.OPENSSL);
        assertThat(config.tokens.issuer).isEqualTo("https://login.example.com");
        assertThat(config.kafka.sasl.username).isEqualTo("tollgate-gateway");
        assertThat(config.redis.host).isEqualTo("redis");
        assertThat(config.operators).singleElement().satisfies(op -> {
            assertThat(op.name).isEqualTo("platform");
            assertThat(op.passwordHash).isEqualTo(operatorHash);
        });

        env.put("TOLLGATE_GATEWAY_TLS_ENGINE", "jdk");
        assertThat(factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
                new org.apache.commons.text.StringSubstitutor(env::get)), "config/production.yml").proxy.tlsEngine)
                .isEqualTo(TlsEngine.JDK);
    }

    /** A misspelt key in one of the gateway's own sections stops the start instead of leaving the default. */
    @Test
    void anUnknownKeyInAGatewaySectionIsRefused() {
        assertThatThrownBy(() -> factory.build(path -> stream("tokenState:\n  stalenesBound: 5s\n"), "inline.yml"))
                .hasMessageContaining("Unrecognized field at: tokenState.stalenesBound")
                .hasMessageContaining("- stalenessBound");
        assertThatThrownBy(() -> factory.build(path -> stream("""
                routes:
                  - api: mobile
                    pathPrefix: /mobile/
                    upstreams: [http://127.0.0.1:9000]
                    stripPrefx: true
                """), "inline.yml")).hasMessageContaining("Unrecognized field at: routes.[0].stripPrefx")
                .hasMessageContaining("- stripPrefix");
    }

    @Test
    void staticRoutesParseAndRouteDefaultsApplyToTheRegistrysRoutes() throws Exception {
        String yaml = """
                routeDefaults:
                  connectTimeout: 500ms
                  readTimeout: 10s
                  identityHeaderFamilies: [X-User-*, X-Tenant]
                routes:
                  - api: mobile
                    pathPrefix: /mobile/
                    upstreams: [http://127.0.0.1:9000]
                    scopes: {get: read, "*": write}
                """;
        GatewayConfiguration config = factory.build(path -> stream(yaml), "inline.yml");
        assertThat(config.routeDefaults.connectTimeout.toJavaDuration()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.routeDefaults.readTimeout.toJavaDuration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.routeDefaults.identityHeaderFamilies).containsExactly("X-User-*", "X-Tenant");
        RouteConfig mobile = config.routes.get(0);
        assertThat(mobile.upstreams).containsExactly(URI.create("http://127.0.0.1:9000"));
        assertThat(new Route(mobile).scopeFor("GET")).isEqualTo("read");
        assertThat(new Route(mobile).scopeFor("DELETE")).isEqualTo("write");
        assertThat(mobile.forwardAuthorization).isFalse();
        assertThat(mobile.connectTimeout.toJavaDuration()).isEqualTo(Duration.ofSeconds(2)); // a static route's own
    }

    @Test
    void aRouteDefaultIdentityFamilyMustBeAHeaderName() {
        String yaml = """
                routeDefaults:
                  identityHeaderFamilies: ["X User"]
                """;
        assertThatThrownBy(() -> factory.build(path -> stream(yaml), "inline.yml"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("routeDefaults.identityHeaderFamilies");
    }

    @Test
    void aRouteWithoutUpstreamIsRejected() {
        String yaml = """
                routes:
                  - api: mobile
                    pathPrefix: /mobile/
                    upstreams: []
                """;
        assertThatThrownBy(() -> factory.build(path -> stream(yaml), "inline.yml"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("upstreams");
    }

    @Test
    void aPrefixMustBeAnAbsolutePath() {
        String yaml = """
                routes:
                  - api: mobile
                    pathPrefix: mobile/
                    upstreams: [http://127.0.0.1:9000]
                """;
        assertThatThrownBy(() -> factory.build(path -> stream(yaml), "inline.yml"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("pathPrefix");
    }

    @Test
    void tlsSettingsParse() throws Exception {
        String yaml = """
                proxy:
                  tls:
                    certificateChain: /etc/tollgate/gateway-chain.pem
                    privateKey: /etc/tollgate/gateway-key.pem
                    privateKeyPassword: s3cret
                  upstreamTls:
                    caBundle: /etc/tollgate/upstream-ca.pem
                routes:
                  - api: mobile
                    pathPrefix: /mobile/
                    upstreams: [https://api.internal.example, HTTP://127.0.0.1:9000]
                """;
        GatewayConfiguration config = factory.build(path -> stream(yaml), "inline.yml");
        assertThat(config.proxy.tls.certificateChain).isEqualTo("/etc/tollgate/gateway-chain.pem");
        assertThat(config.proxy.tlsEngine).isEqualTo(TlsEngine.OPENSSL);
        assertThat(config.proxy.tls.privateKey).isEqualTo("/etc/tollgate/gateway-key.pem");
        assertThat(config.proxy.tls.privateKeyPassword.reveal()).isEqualTo("s3cret");
        assertThat(config.proxy.tls.privateKeyPassword).hasToString("[REDACTED]");
        assertThat(config.proxy.upstreamTls.caBundle).isEqualTo("/etc/tollgate/upstream-ca.pem");
    }

    /** openssl unless the configuration says jdk; either name in any case. */
    @Test
    void theTlsEngineIsOpenSslUnlessSetToJdk() throws Exception {
        assertThat(factory.build(path -> stream(ONE_ROUTE), "inline.yml").proxy.tlsEngine)
                .isEqualTo(TlsEngine.OPENSSL);
        String yaml = ONE_ROUTE + """
                proxy:
                  tlsEngine: %s
                """;
        assertThat(factory.build(path -> stream(yaml.formatted("jdk")), "inline.yml").proxy.tlsEngine)
                .isEqualTo(TlsEngine.JDK);
        assertThat(factory.build(path -> stream(yaml.formatted("OpenSSL")), "inline.yml").proxy.tlsEngine)
                .isEqualTo(TlsEngine.OPENSSL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"boringssl", "openssl-refcnt", "\"\""})
    void anUnknownTlsEngineIsRefused(String engine) {
        String yaml = ONE_ROUTE + """
                proxy:
                  tlsEngine: %s
                """.formatted(engine);
        assertThatThrownBy(() -> factory.build(path -> stream(yaml), "inline.yml"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("proxy.tlsEngine")
                .hasMessageContaining("must be openssl or jdk");
    }

    @Test
    void aListenerTlsSectionNeedsBothFiles() {
        String yaml = """
                proxy:
                  tls:
                    certificateChain: /etc/tollgate/gateway-chain.pem
                routes:
                  - api: mobile
                    pathPrefix: /mobile/
                    upstreams: [http://127.0.0.1:9000]
                """;
        assertThatThrownBy(() -> factory.build(path -> stream(yaml), "inline.yml"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("proxy.tls.privateKey");
    }

    /** Never a guess: another scheme, no scheme, or credentials in the URL are configuration errors. */
    @ParameterizedTest
    @ValueSource(strings = {"ftp://127.0.0.1:21", "ws://127.0.0.1:9000", "localhost:9000", "//127.0.0.1:9000",
            "https:///no-host", "https://user:pass@api.example"})
    void anUpstreamThatIsNotAnHttpOrHttpsUrlIsRejected(String upstream) {
        String yaml = """
                routes:
                  - api: mobile
                    pathPrefix: /mobile/
                    upstreams: ["%s"]
                """.formatted(upstream);
        assertThatThrownBy(() -> factory.build(path -> stream(yaml), "inline.yml"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("upstreams")
                .hasMessageContaining("must be an http:// or https:// URL with a host");
    }

    @Test
    void theTokenStateBackstopCanNeitherBeZeroNorOff() throws Exception {
        String yaml = ONE_ROUTE + """
                tokenState:
                  maxEntryAge: %s
                """;
        for (String age : new String[] {"0s", "50ms", "2h"}) {
            assertThatThrownBy(() -> factory.build(path -> stream(yaml.formatted(age)), "inline.yml")).as(age)
                    .isInstanceOf(ConfigurationValidationException.class)
                    .hasMessageContaining("tokenState.maxEntryAge");
        }
        assertThat(factory.build(path -> stream(yaml.formatted("1s")), "inline.yml").tokenState.maxEntryAge
                .toJavaDuration()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aClientIdleTimeoutUnderASecondIsRefused() throws Exception {
        String yaml = ONE_ROUTE + """
                proxy:
                  clientIdleTimeout: %s
                """;
        assertThatThrownBy(() -> factory.build(path -> stream(yaml.formatted("500ms")), "inline.yml"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("proxy.clientIdleTimeout");
        assertThat(factory.build(path -> stream(yaml.formatted("1s")), "inline.yml").proxy.clientIdleTimeout
                .toJavaDuration()).isEqualTo(Duration.ofSeconds(1));
    }

    /** The least configuration that validates: one static route. */
    private static final String ONE_ROUTE = """
            routes:
              - api: mobile
                pathPrefix: /mobile/
                upstreams: [http://127.0.0.1:9000]
            """;

    private static InputStream stream(String yaml) {
        return new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8));
    }
}
