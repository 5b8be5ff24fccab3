package io.tollgate.policy.license;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.policy.core.SourceUnavailableException;
import io.tollgate.shared.json.Json;
import jakarta.validation.constraints.NotEmpty;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A license service: {@code GET {url}?user=alice&api=mobile} answers 200 {@code {"expiresAt": "<ISO-8601>"}}
 * or 404 (no license). Any other answer, a timeout or a refused connection is {@link SourceUnavailableException},
 * so the record is retried rather than denied.
 */
public class HttpLicenseSourceFactory implements LicenseSourceFactory {
    @NotEmpty
    public String url = "http://127.0.0.1:9100/licenses";

    public io.dropwizard.util.Duration timeout = io.dropwizard.util.Duration.seconds(2);

    @Override
    public LicenseSource build() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout.toJavaDuration()).build();
        return (account, api) -> {
            String user = account.userId();
            URI uri = URI.create(url + "?user=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&api="
                    + URLEncoder.encode(api == null ? "" : api, StandardCharsets.UTF_8));
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofMillis(timeout.toMilliseconds())).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 404) {
                    return Optional.empty();
                }
                if (response.statusCode() != 200) {
                    throw new SourceUnavailableException("license service answered " + response.statusCode());
                }
                JsonNode body = Json.mapper().readTree(response.body());
                String expires = body.path("expiresAt").asText(null);
                return expires == null ? Optional.empty() : Optional.of(Instant.parse(expires));
            } catch (IOException | java.time.format.DateTimeParseException e) {
                throw new SourceUnavailableException("license service unavailable: " + e.getClass().getSimpleName(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SourceUnavailableException("interrupted", e);
            }
        };
    }
}
