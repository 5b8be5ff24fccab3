package io.tollgate.tokenapi.portal;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recorded portal exchanges checked against {@code portal/openapi.yaml} by Atlassian's swagger-request-validator
 * (a maintained OpenAPI 3 validator: paths, methods, parameters, headers, security, declared statuses and the
 * JSON schemas of bodies, {@code additionalProperties: false} and enums included). Every answer is checked; the
 * request too when the service accepted it (2xx), since the tests also send deliberately invalid requests.
 */
final class OpenApiContract {
    private static final String SERVER = "/portal/api";
    private final OpenApiInteractionValidator validator;
    private final List<String> paths = new ArrayList<>();
    private final Set<String> checked = new TreeSet<>();

    private OpenApiContract(OpenApiInteractionValidator validator, JsonNode spec) {
        this.validator = validator;
        spec.path("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(spec.path("servers").path(0).path("url").asText()).isEqualTo(SERVER);
    }

    static OpenApiContract load() throws IOException {
        String spec;
        try (InputStream in = OpenApiContract.class.getResourceAsStream("/portal/openapi.yaml")) {
            assertThat(in).as("portal/openapi.yaml on the class path").isNotNull();
            spec = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(spec).startsWith("openapi: 3.");
        JsonNode parsed = new ObjectMapper(new YAMLFactory()).readTree(spec);
        return new OpenApiContract(OpenApiInteractionValidator.createForInlineApiSpecification(spec)
                // an operation without a declared status would pass silently by default: make it an error
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.response.status.unknown", ValidationReport.Level.ERROR)
                        .build())
                .build(), parsed);
    }

    Set<String> checkedOperations() {
        return checked;
    }

    /** Asserts that the exchange is one the contract describes; remembers the operation it matched. */
    void check(PortalClient.Answer a) {
        URI uri = URI.create("http://portal" + a.path());
        SimpleRequest.Builder request = new SimpleRequest.Builder(a.method(), uri.getPath());
        if (uri.getQuery() != null) {
            for (String pair : uri.getQuery().split("&")) {
                int eq = pair.indexOf('=');
                request.withQueryParam(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
            }
        }
        a.response().request().headers().map().forEach(request::withHeader);
        if (a.requestBody() != null) {
            request.withBody(a.requestBody());
        }
        SimpleResponse.Builder response = SimpleResponse.Builder.status(a.status());
        a.response().headers().map().forEach((name, values) -> {
            if (!name.equals(":status")) {
                response.withHeader(name, values);
            }
        });
        if (a.response().body() != null && !a.response().body().isEmpty()) {
            response.withBody(a.response().body());
        }
        Request req = request.build();
        String where = a.method() + " " + a.path() + " -> " + a.status();
        ValidationReport answer = validator.validateResponse(req.getPath(), req.getMethod(), response.build());
        assertThat(messages(answer)).as("answer of " + where).isEmpty();
        if (a.status() / 100 == 2) {
            assertThat(messages(validator.validateRequest(req))).as("accepted request " + where).isEmpty();
        }
        checked.add(a.method() + " " + template(uri.getPath()));
    }

    /** The spec's path template that a request path matches (for the coverage count). */
    private String template(String path) {
        String relative = path.startsWith(SERVER) ? path.substring(SERVER.length()) : path;
        for (String t : paths) {
            if (relative.matches(Pattern.quote(t).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q"))) {
                return t;
            }
        }
        return relative;
    }

    private static List<String> messages(ValidationReport report) {
        return report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> m.getKey() + ": " + m.getMessage())
                .collect(Collectors.toList());
    }
}
