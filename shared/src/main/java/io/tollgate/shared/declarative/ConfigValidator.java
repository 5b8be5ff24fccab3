package io.tollgate.shared.declarative;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import com.networknt.schema.serialization.node.LocationJsonNodeFactoryFactory;
import com.networknt.schema.serialization.node.TokenStreamLocationAware;
import com.networknt.schema.utils.JsonNodes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a declarative configuration ({@code tollgate.yaml}, or the same shape as JSON) against its JSON Schema,
 * {@value #SCHEMA_RESOURCE} in this jar (the one definition of the format, which the CLI and token-api both use),
 * and then against the rules a schema cannot state: API names, path prefixes and plan ids are unique, and a plan's
 * API is one of the file. Every error names the value's JSON Pointer and, for a document read by {@link #read}, its
 * line. Safe for concurrent use.
 */
public final class ConfigValidator {
    public static final String SCHEMA_RESOURCE = "/tollgate-config.schema.json";

    /** YAML with duplicate keys refused (a second {@code perMinute:} would silently win otherwise). */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Schema schema;

    public ConfigValidator() {
        try (InputStream in = ConfigValidator.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the classpath");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            // "message" in the schema holds the readable text of a pattern's failure
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder()
                                    .errorMessageKeyword("message").build()))
                    .getSchema(text, InputFormat.JSON);
            schema.initializeValidators();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses YAML (JSON is YAML too), keeping where each value starts so that {@link #validate} can name its line.
     *
     * @throws InvalidConfigException with one error at the place of a syntax error or a duplicate key
     */
    public static JsonNode read(String text) {
        return parse(YAML, text);
    }

    /** Parses a JSON document (an HTTP body), keeping where each value starts. */
    public static JsonNode readJson(String text) {
        return parse(JSON, text);
    }

    private static JsonNode parse(ObjectMapper mapper, String text) {
        try {
            JsonNode node = JsonNodes.readTree(mapper, text, LocationJsonNodeFactoryFactory.getInstance());
            return node == null || node.isMissingNode() ? JSON.nullNode() : node;
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof JsonProcessingException parse) {
                throw syntax(parse);
            }
            throw e;
        }
    }

    private static InvalidConfigException syntax(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return new InvalidConfigException(List.of(new ConfigError("", at == null ? 0 : Math.max(0, at.getLineNr()),
                "not valid YAML/JSON: " + e.getOriginalMessage())));
    }

    /** Every error of {@code document}, in the order of the file; empty when it is valid. */
    public List<ConfigError> validate(JsonNode document) {
        List<ConfigError> errors = new ArrayList<>();
        for (Error e : schema.validate(document)) {
            String path = pointer(e.getInstanceLocation());
            // an unknown property is named where it is, not at the object around it
            if ("additionalProperties".equals(e.getKeyword()) && e.getProperty() != null) {
                path = path + "/" + escape(e.getProperty());
            }
            errors.add(new ConfigError(path, line(document, path), message(e)));
        }
        rules(document, errors);
        errors.sort(Comparator.comparingInt((ConfigError e) -> e.line() == 0 ? Integer.MAX_VALUE : e.line())
                .thenComparing(ConfigError::path));
        return errors.stream().distinct().toList();
    }

    /** The configuration of a valid {@code document}. */
    public DeclarativeConfig check(JsonNode document) {
        List<ConfigError> errors = validate(document);
        if (!errors.isEmpty()) {
            throw new InvalidConfigException(errors);
        }
        return DeclarativeConfig.fromJson(document);
    }

    /** The uniqueness and reference rules. */
    private static void rules(JsonNode document, List<ConfigError> errors) {
        Map<String, String> apiNames = new HashMap<>();
        Map<String, String> prefixes = new HashMap<>();
        JsonNode apis = document.path("apis");
        for (int i = 0; i < apis.size(); i++) {
            unique(document, apis.get(i).path("name"), "/apis/" + i + "/name", "API name", apiNames, errors);
            unique(document, apis.get(i).path("pathPrefix"), "/apis/" + i + "/pathPrefix", "path prefix", prefixes,
                    errors);
        }
        Map<String, String> planIds = new HashMap<>();
        JsonNode plans = document.path("plans");
        for (int i = 0; i < plans.size(); i++) {
            unique(document, plans.get(i).path("id"), "/plans/" + i + "/id", "plan id", planIds, errors);
            JsonNode api = plans.get(i).path("api");
            if (api.isTextual() && apis.isArray() && !apiNames.containsKey(api.asText())) {
                String path = "/plans/" + i + "/api";
                errors.add(new ConfigError(path, line(document, path), "no API '" + api.asText() + "' in this file"));
            }
        }
    }

    private static void unique(JsonNode document, JsonNode value, String path, String what, Map<String, String> seen,
                               List<ConfigError> errors) {
        if (!value.isTextual()) {
            return;
        }
        String first = seen.putIfAbsent(value.asText(), path);
        if (first != null) {
            errors.add(new ConfigError(path, line(document, path),
                    "duplicate " + what + " '" + value.asText() + "' (first at " + first + ")"));
        }
    }

    /** The error's text without the location the library puts in front of it. */
    private static String message(Error e) {
        String message = e.getMessage();
        int colon = message.indexOf(": ");
        if (colon > 0 && (message.startsWith("$") || message.startsWith("/"))) {
            message = message.substring(colon + 2);
        }
        return message;
    }

    private static String pointer(NodePath path) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            out.append('/').append(element instanceof Integer index ? index.toString() : escape(element.toString()));
        }
        return out.toString();
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** The line where the value at {@code pointer} (or the nearest enclosing one) starts; 0 when unknown. */
    private static int line(JsonNode document, String pointer) {
        String at = pointer;
        while (true) {
            JsonNode node = document.at(at);
            if (node instanceof TokenStreamLocationAware) {
                JsonLocation location = JsonNodes.tokenStreamLocationOf(node);
                if (location != null && location.getLineNr() > 0) {
                    return location.getLineNr();
                }
            }
            if (at.isEmpty()) {
                return 0;
            }
            at = at.substring(0, at.lastIndexOf('/'));
        }
    }
}
