package io.tollgate.shared.health;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import io.dropwizard.core.setup.Environment;
import io.tollgate.shared.json.Json;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The readiness probe, {@code GET /ready} on the admin connector (Kubernetes' readinessProbe, a load balancer's
 * health check): 200 {@code {"ready":true,...}} when the node can serve its requests, else 503 naming the failing
 * checks. It runs every health check of the service except those named as not required, so a check added later
 * counts until someone decides otherwise; those left out stay in {@code /healthcheck}, the operator's view.
 * Liveness is Dropwizard's {@code /ping}.
 */
public final class ReadinessServlet extends HttpServlet {
    public static final String PATH = "/ready";
    private static final long serialVersionUID = 1L;

    private final transient HealthCheckRegistry checks;
    private final SortedSet<String> notRequired;

    public ReadinessServlet(HealthCheckRegistry checks, Set<String> notRequired) {
        this.checks = checks;
        this.notRequired = new TreeSet<>(notRequired);
    }

    /**
     * Registers {@code /ready} on the admin connector, requiring every health check but {@code notRequired}.
     * Call from {@code Application.run}.
     */
    public static void register(Environment environment, Set<String> notRequired) {
        environment.admin().addServlet("ready", new ReadinessServlet(environment.healthChecks(), notRequired))
                .addMapping(PATH);
    }

    /** The answer's status and body: what {@code GET /ready} serves. */
    public Answer evaluate() {
        Map<String, Object> results = new LinkedHashMap<>();
        List<String> failing = new ArrayList<>();
        for (String name : checks.getNames()) {
            if (notRequired.contains(name)) {
                continue;
            }
            HealthCheck.Result result;
            try {
                result = checks.runHealthCheck(name);
            } catch (RuntimeException e) { // unregistered meanwhile
                continue;
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("healthy", result.isHealthy());
            if (result.getMessage() != null) {
                entry.put("message", result.getMessage());
            }
            results.put(name, entry);
            if (!result.isHealthy()) {
                failing.add(name);
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ready", failing.isEmpty());
        body.put("failing", failing);
        body.put("checks", results);
        body.put("notRequired", notRequired);
        return new Answer(failing.isEmpty() ? 200 : 503, body);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Answer answer = evaluate();
        byte[] bytes = Json.mapper().writeValueAsBytes(answer.body());
        response.setStatus(answer.status());
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json;charset=UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** A readiness answer: 200 or 503, and its JSON body. */
    public record Answer(int status, Map<String, Object> body) {
    }
}
