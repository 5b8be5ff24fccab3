package io.tollgate.shared.redis;

import io.dropwizard.configuration.ConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.tollgate.shared.crypto.Secret;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Redis settings as the production templates write them, their validation, and the endpoint they build. */
class RedisFactoryTest {
    /** The {@code redis} block of every service's config/production.yml. */
    static final String PRODUCTION_BLOCK = """
            host: ${TOLLGATE_REDIS_HOST:-}
            port: ${TOLLGATE_REDIS_PORT:-6379}
            user: ${TOLLGATE_REDIS_USER:-}
            password: ${TOLLGATE_REDIS_PASSWORD:-}
            tls:
              enabled: ${TOLLGATE_REDIS_TLS:-false}
              caBundle: ${TOLLGATE_REDIS_CA_BUNDLE:-}
            sentinel:
              masterName: ${TOLLGATE_REDIS_SENTINEL_MASTER:-}
              nodes: [${TOLLGATE_REDIS_SENTINELS:-}]
              password: ${TOLLGATE_REDIS_SENTINEL_PASSWORD:-}
            """;

    private final Validator validator = Validators.newValidator();

    private RedisFactory parse(Map<String, String> env) throws Exception {
        ConfigurationSourceProvider yaml = path -> new ByteArrayInputStream(
                PRODUCTION_BLOCK.getBytes(StandardCharsets.UTF_8));
        return new YamlConfigurationFactory<>(RedisFactory.class, null, Jackson.newObjectMapper(), "redis")
                .build(new SubstitutingSourceProvider(yaml, new StringSubstitutor(new HashMap<>(env))), "redis.yml");
    }

    private Set<String> violations(RedisFactory f) {
        return validator.validate(f).stream().map(ConstraintViolation::getMessage).collect(Collectors.toSet());
    }

    @Test
    void aStandaloneServerWithAnAclUser() throws Exception {
        RedisFactory f = parse(Map.of("TOLLGATE_REDIS_HOST", "redis.internal", "TOLLGATE_REDIS_USER", "tollgate",
                "TOLLGATE_REDIS_PASSWORD", "s3cret"));
        assertThat(violations(f)).isEmpty();
        RedisEndpoint endpoint = f.endpoint();
        assertThat(endpoint.usesSentinel()).isFalse();
        assertThat(endpoint.primary()).isEqualTo(new HostAndPort("redis.internal", 6379));
        assertThat(endpoint.tls()).isFalse();
        assertThat(endpoint.handshake()).containsExactly(List.of("AUTH", "tollgate", "s3cret"));
        assertThat(endpoint.clientConfig().getUser()).isEqualTo("tollgate");
        assertThat(endpoint.toString()).doesNotContain("s3cret").contains("redis.internal:6379", "tollgate");
    }

    @Test
    void emptyVariablesAreUnsetSettings() throws Exception {
        RedisFactory f = parse(Map.of("TOLLGATE_REDIS_HOST", "redis.internal"));
        assertThat(f.user).isNull();
        assertThat(f.password).isNull();
        assertThat(f.tls.enabled).isFalse();
        assertThat(f.sentinel.nodes).isEmpty();
        assertThat(f.endpoint().handshake()).as("the default user, no password: no AUTH").isEmpty();
    }

    @Test
    void aPasswordWithoutUserAuthenticatesTheDefaultUserAndADatabaseIsSelected() {
        RedisFactory f = new RedisFactory();
        f.host = "127.0.0.1";
        f.password = Secret.of("pw");
        f.database = 3;
        assertThat(f.endpoint().handshake()).containsExactly(List.of("AUTH", "pw"), List.of("SELECT", "3"));
    }

    @Test
    void sentinelsFromOneCommaSeparatedVariable() throws Exception {
        RedisFactory f = parse(Map.of("TOLLGATE_REDIS_SENTINEL_MASTER", "tollgate",
                "TOLLGATE_REDIS_SENTINELS", "s1.internal:26379, s2.internal:26379,s3.internal:26380",
                "TOLLGATE_REDIS_SENTINEL_PASSWORD", "sentinel-secret", "TOLLGATE_REDIS_TLS", "true"));
        assertThat(violations(f)).isEmpty();
        RedisEndpoint endpoint = f.endpoint();
        assertThat(endpoint.usesSentinel()).isTrue();
        assertThat(endpoint.masterName()).isEqualTo("tollgate");
        assertThat(endpoint.sentinels()).containsExactly(new HostAndPort("s1.internal", 26379),
                new HostAndPort("s2.internal", 26379), new HostAndPort("s3.internal", 26380));
        assertThat(endpoint.tls()).as("no CA bundle: the JVM's trust").isTrue();
        assertThat(endpoint.sentinelClientConfig().isSsl()).isTrue();
        assertThat(endpoint.sentinelClientConfig().getSslParameters().getEndpointIdentificationAlgorithm())
                .isEqualTo("HTTPS");
        assertThat(endpoint.clientConfig().isSsl()).isTrue();
        assertThat(endpoint.clientConfig().getSslParameters().getEndpointIdentificationAlgorithm())
                .isEqualTo("HTTPS");
        assertThat(endpoint.toString()).doesNotContain("sentinel-secret");
    }

    @Test
    void exactlyOneOfHostAndSentinelMaster() throws Exception {
        String message = RedisFactory.TOPOLOGY;
        assertThat(violations(parse(Map.of()))).containsExactly(message);
        assertThat(violations(parse(Map.of("TOLLGATE_REDIS_HOST", "redis.internal",
                "TOLLGATE_REDIS_SENTINEL_MASTER", "tollgate", "TOLLGATE_REDIS_SENTINELS", "s1:26379"))))
                .containsExactly(message);
        assertThat(new RedisFactory().endpoint().primary()).as("the default")
                .isEqualTo(new HostAndPort("127.0.0.1", 6379));
        RedisFactory sentinelBesideTheDefaultHost = new RedisFactory();
        sentinelBesideTheDefaultHost.sentinel.masterName = "tollgate";
        sentinelBesideTheDefaultHost.sentinel.nodes = List.of("s1:26379");
        assertThatThrownBy(sentinelBesideTheDefaultHost::endpoint).isInstanceOf(IllegalStateException.class)
                .hasMessage(message);
        sentinelBesideTheDefaultHost.host = "";
        assertThat(sentinelBesideTheDefaultHost.endpoint().usesSentinel()).isTrue();
    }

    @Test
    void aSentinelMasterNeedsSentinelsAsHostAndPort() throws Exception {
        String message = "redis.sentinel.nodes must list at least one Sentinel as host:port when "
                + "redis.sentinel.masterName is set";
        assertThat(violations(parse(Map.of("TOLLGATE_REDIS_SENTINEL_MASTER", "tollgate")))).containsExactly(message);
        RedisFactory bad = parse(Map.of("TOLLGATE_REDIS_SENTINEL_MASTER", "tollgate",
                "TOLLGATE_REDIS_SENTINELS", "s1.internal"));
        assertThat(violations(bad)).containsExactly(message);
        assertThatThrownBy(bad::endpoint).hasMessageContaining("'s1.internal' is not host:port");
    }

    @Test
    void anUnreadableCaBundleStopsTheServiceAtStartUp() throws Exception {
        RedisFactory f = parse(Map.of("TOLLGATE_REDIS_HOST", "redis.internal", "TOLLGATE_REDIS_TLS", "true",
                "TOLLGATE_REDIS_CA_BUNDLE", "/nonexistent/redis-ca.pem"));
        assertThatThrownBy(f::endpoint).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("redis.tls.caBundle").hasMessageContaining("/nonexistent/redis-ca.pem");
    }
}
