package io.tollgate.shared.kafka;

import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import org.apache.commons.text.StringSubstitutor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code kafka} block of a service's {@code config/production.yml}, read as the service reads it: environment
 * variables substituted (their defaults where unset), then parsed and validated by Dropwizard.
 */
final class ProductionKafkaSettings {
    static final List<String> SERVICES = List.of("token-api", "policy-worker", "revocation-stream", "gateway");

    private ProductionKafkaSettings() {
    }

    /** The block's text, from the first {@code kafka:} line to the next top-level key. */
    static String block(String service) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("..", service, "config", "production.yml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder out = new StringBuilder();
        boolean in = false;
        for (String line : lines) {
            if (line.equals("kafka:")) {
                in = true;
                continue;
            }
            if (in && !line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("#")) {
                break;
            }
            if (in) {
                out.append(line.length() >= 2 ? line.substring(2) : line).append('\n');
            }
        }
        if (!in) {
            throw new IllegalStateException(service + "'s production.yml has no kafka block");
        }
        return out.toString();
    }

    static KafkaFactory load(String yaml, Map<String, String> environment) throws IOException, ConfigurationException {
        String substituted = new StringSubstitutor(environment::get).replace(yaml);
        return new YamlConfigurationFactory<>(KafkaFactory.class, Validators.newValidator(), Jackson.newObjectMapper(),
                "dw").build(path -> new ByteArrayInputStream(substituted.getBytes(StandardCharsets.UTF_8)), "kafka");
    }
}
