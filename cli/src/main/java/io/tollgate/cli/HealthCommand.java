package io.tollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every service's Dropwizard healthcheck as one table; exits 1 when any service is down or unhealthy. */
@Command(name = "health", description = "Show the health of every service (exit 1 if any is down or unhealthy).")
final class HealthCommand extends TollgateCommand {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    record ServiceHealth(String service, String status, String url, List<String> failing) {
    }

    @Override
    public Integer call() {
        List<ServiceHealth> results = new ArrayList<>();
        for (Map.Entry<String, String> e : root.healthUrls().entrySet()) {
            results.add(probe(e.getKey(), e.getValue()));
        }
        if (root.json) {
            root.printJson(results);
        } else {
            Table table = new Table("SERVICE", "STATUS", "URL", "DETAIL");
            for (ServiceHealth h : results) {
                table.row(h.service(), h.status(), h.url(), h.failing().isEmpty() ? "" : String.join("; ", h.failing()));
            }
            table.print(root.out());
        }
        long bad = results.stream().filter(h -> !h.status().equals("healthy")).count();
        if (bad > 0) {
            root.err().println("tollgate: " + bad + " of " + results.size() + " services are not healthy");
            root.err().flush();
            return 1;
        }
        return 0;
    }

    static ServiceHealth probe(String service, String url) {
        HttpResponse<String> response;
        try {
            response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            return new ServiceHealth(service, "down", url, List.of("not reachable"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ServiceHealth(service, "down", url, List.of("interrupted"));
        }
        List<String> failing = new ArrayList<>();
        try {
            JsonNode body = TollgateCli.mapper().readTree(response.body());
            for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> check = it.next();
                if (check.getValue().has("healthy") && !check.getValue().get("healthy").asBoolean()) {
                    String message = check.getValue().path("message").asText("");
                    failing.add(check.getKey() + (message.isEmpty() ? "" : ": " + message));
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not JSON: the status code alone decides
        }
        String status = response.statusCode() == 200 && failing.isEmpty() ? "healthy" : "unhealthy";
        if (status.equals("unhealthy") && failing.isEmpty()) {
            failing.add("HTTP " + response.statusCode());
        }
        return new ServiceHealth(service, status, url, failing);
    }

}
