package io.tollgate.ops.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tollgate.cli.ServiceSpec;
import io.tollgate.shared.crypto.PasswordHashes;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceSpecTest {
    @Test
    void namesJarsConfigsAndEnvironmentTheWayHelpersSays() {
        ServiceSpec spec = ServiceSpec.named("revocation-stream");
        assertThat(spec.jar(Path.of("/repo"))).isEqualTo(Path.of("/repo/revocation-stream/target/revocation-stream.jar"));
        assertThat(spec.config(Path.of("/repo"))).isEqualTo(Path.of("/repo/revocation-stream/config/local.yml"));
        assertThat(spec.adminPortEnv()).isEqualTo("TOLLGATE_REVOCATION_STREAM_ADMIN_PORT");
        assertThat(ServiceSpec.ALL).extracting(ServiceSpec::adminPort).containsExactly(8081, 8086, 8088, 8001);
        assertThatThrownBy(() -> ServiceSpec.named("nope")).hasMessageContaining("known: [token-api");
    }

    @Test
    void servicesGetTheSharedEnvironmentAndTheirPorts() {
        StackConfig config = new StackConfig();
        config.root = Path.of("/repo");
        config.kafkaPort = 19092;
        config.ports.put("token-api", 18080);
        config.adminPorts.put("gateway", 18001);
        ServicePart gateway = new ServicePart(ServiceSpec.named("gateway"), config);
        assertThat(gateway.command()).contains("TOLLGATE_KAFKA_BOOTSTRAP=127.0.0.1:19092",
                "TOLLGATE_ISSUER=http://127.0.0.1:18080", "TOLLGATE_JWKS_URL=http://127.0.0.1:18080/oauth2/jwks",
                "TOLLGATE_DATA_DIR=/repo/.stack",
                "-Xmx256m", "-Ddw.server.adminConnectors[0].port=18001", "-Ddw.proxy.port=8000",
                "/repo/gateway/target/gateway.jar", "server", "/repo/gateway/config/local.yml");
    }

    @Test
    void extraJvmArgumentsGoToEveryNodeOfTheirServiceBeforeTheJar() {
        StackConfig config = new StackConfig();
        config.root = Path.of("/repo");
        config.serviceJvmArgs.put("policy-worker", List.of("-Ddw.kafka.consumer.session\\.timeout\\.ms=6000"));
        ServicePart second = new ServicePart(ServiceSpec.named("policy-worker"), config, "policy-worker-b", "b", 1, 2);
        assertThat(second.command()).containsSubsequence("TOLLGATE_NODE=b",
                "-Ddw.kafka.consumer.session\\.timeout\\.ms=6000", "-jar", "/repo/policy-worker/target/policy-worker.jar");
        assertThat(new ServicePart(ServiceSpec.named("gateway"), config).command())
                .noneMatch(arg -> arg.contains("session"));
    }

    /** {@code ops/tollgate rebuild-projection} (and curl -u ops:ops-secret) on the stack: every service's admin tasks know ops. */
    @Test
    void everyServiceTheStackStartsHasTheDemoOperator() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (ServiceSpec spec : ServiceSpec.ALL) {
            // as the service reads it: environment variables substituted (their defaults) before the YAML is parsed
            String text = new io.dropwizard.configuration.EnvironmentVariableSubstitutor(false)
                    .replace(java.nio.file.Files.readString(spec.config(Path.of(".."))));
            JsonNode operators = yaml.readTree(text).path("operators");
            assertThat(operators.isArray()).as(spec.module()).isTrue();
            assertThat(operators).as(spec.module()).anySatisfy(op -> {
                assertThat(op.path("name").asText()).isEqualTo("ops");
                assertThat(PasswordHashes.verify("ops-secret", op.path("passwordHash").asText())).isTrue();
            });
        }
    }
}
