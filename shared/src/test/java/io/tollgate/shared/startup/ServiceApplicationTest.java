package io.tollgate.shared.startup;

import com.fasterxml.jackson.databind.DeserializationFeature;
import io.dropwizard.configuration.ConfigurationFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.tollgate.shared.config.ServiceConfiguration;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a service's start reads its YAML with, taken from the bootstrap as Dropwizard's commands take it. */
class ServiceApplicationTest {

    static class Service extends ServiceApplication<ServiceConfiguration> {
        @Override
        protected void start(ServiceConfiguration config, Environment environment) {
        }
    }

    @Test
    void theYamlIsReadWithEveryUnknownKeyRefusedAndRequestBodiesAreNot() throws Exception {
        Service service = new Service();
        Bootstrap<ServiceConfiguration> bootstrap = new Bootstrap<>(service);
        service.initialize(bootstrap);
        ConfigurationFactory<ServiceConfiguration> factory = bootstrap.getConfigurationFactoryFactory().create(
                ServiceConfiguration.class, bootstrap.getValidatorFactory().getValidator(),
                bootstrap.getObjectMapper(), "dw");

        assertThat(build(factory, "redis:\n  port: 6380\n").redis.port).isEqualTo(6380);
        assertThatThrownBy(() -> build(factory, "redis:\n  prot: 6380\n"))
                .hasMessageContaining("Unrecognized field at: redis.prot").hasMessageContaining("- port");
        assertThat(bootstrap.getObjectMapper().isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES))
                .isFalse();
    }

    private static ServiceConfiguration build(ConfigurationFactory<ServiceConfiguration> factory, String yaml)
            throws Exception {
        return factory.build(path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "inline");
    }
}
