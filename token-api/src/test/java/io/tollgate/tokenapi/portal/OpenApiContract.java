package io.tollgate.tokenapi.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A structural check of real answers against {@code portal/openapi.yaml} (the parsed YAML, no validator library):
 * the path template and method exist, the status is declared, and a JSON body has every {@code required} field of
 * the declared schema ({@code $ref}s resolved) with the declared JSON type, recursively through objects and arrays.
 */
final class OpenApiContract {
    private final JsonNode root;
    private final Set<String> checked = new TreeSet<>();

    private OpenApiContract(JsonNode root) {
        this.root = root;
    }

    static OpenApiContract load() throws IOException {
        try (InputStream in = OpenApiContract.class.getResourceAsStream("/portal/openapi.yaml")) {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
            assertThat(root.path("openapi").asText()).startsWith("3.");
            return new OpenApiContract(root);
        }
    }

    Set<String> checkedOperations() {
        return checked;
    }

    void check(String method, String rawPath, int status, JsonNode body) {
        String path = rawPath.contains("?") ? rawPath.substring(0, rawPath.indexOf('?')) : rawPath;
        String where = method + " " + rawPath + " -> " + status;
        JsonNode servers = root.path("servers");
        String prefix = servers.isArray() && servers.size() > 0 ? servers.get(0).path("url").asText() : "";
        assertThat(path).as(where).startsWith(prefix);
        String relative = path.substring(prefix.length());
        String template = null;
        for (Iterator<String> it = root.path("paths").fieldNames(); it.hasNext(); ) {
            String t = it.next();
            String regex = Pattern.quote(t).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q");
            if (relative.matches(regex)) {
                template = t;
                break;
            }
        }
        if (template == null) {
            fail("no path in openapi.yaml for " + where);
        }
        JsonNode op = root.path("paths").path(template).path(method.toLowerCase());
        assertThat(op.isMissingNode()).as("operation " + method + " " + template).isFalse();
        JsonNode response = op.path("responses").path(Integer.toString(status));
        assertThat(response.isMissingNode()).as("status declared for " + where).isFalse();
        response = resolve(response);
        checked.add(method + " " + template);
        JsonNode schema = response.path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) {
            assertThat(body == null || status == 204).as("no JSON body expected for " + where).isTrue();
            return;
        }
        assertThat(body).as("JSON body for " + where).isNotNull();
        conforms(schema, body, where + " $");
    }

    private JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            String ref = node.get("$ref").asText();
            assertThat(ref).startsWith("#/");
            JsonNode target = root;
            for (String part : ref.substring(2).split("/")) {
                target = target.path(part);
            }
            assertThat(target.isMissingNode()).as("$ref " + ref).isFalse();
            node = target;
        }
        return node;
    }

    private void conforms(JsonNode schema, JsonNode value, String where) {
        schema = resolve(schema);
        String type = schema.path("type").asText("");
        if (value.isNull()) {
            assertThat(schema.path("nullable").asBoolean(false)).as(where + " may not be null").isTrue();
            return;
        }
        switch (type) {
            case "object" -> {
                assertThat(value.isObject()).as(where + " is an object").isTrue();
                for (JsonNode req : schema.path("required")) {
                    assertThat(value.has(req.asText())).as(where + " has required " + req.asText()).isTrue();
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> p = it.next();
                    if (value.has(p.getKey())) {
                        conforms(p.getValue(), value.get(p.getKey()), where + "." + p.getKey());
                    }
                }
                JsonNode additional = schema.path("additionalProperties");
                if (additional.isBoolean() && !additional.asBoolean()) {
                    for (Iterator<String> it = value.fieldNames(); it.hasNext(); ) {
                        String f = it.next();
                        assertThat(schema.path("properties").has(f)).as(where + " undeclared field " + f).isTrue();
                    }
                } else if (additional.isObject()) {
                    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> f = it.next();
                        conforms(additional, f.getValue(), where + "." + f.getKey());
                    }
                }
            }
            case "array" -> {
                assertThat(value.isArray()).as(where + " is an array").isTrue();
                int i = 0;
                for (JsonNode item : value) {
                    conforms(schema.path("items"), item, where + "[" + i++ + "]");
                }
            }
            case "string" -> {
                assertThat(value.isTextual()).as(where + " is a string").isTrue();
                if (schema.has("enum")) {
                    Set<String> allowed = new TreeSet<>();
                    schema.get("enum").forEach(e -> allowed.add(e.asText()));
                    assertThat(allowed).as(where + " enum").contains(value.asText());
                }
            }
            case "integer" -> assertThat(value.isIntegralNumber()).as(where + " is an integer").isTrue();
            case "boolean" -> assertThat(value.isBoolean()).as(where + " is a boolean").isTrue();
            default -> fail("schema without a supported type at " + where + ": " + schema);
        }
    }
}
