package io.tollgate.shared.declarative;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.shared.events.ApiRecord;
import io.tollgate.shared.events.PlanRecord;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The APIs and plans of a {@code tollgate.yaml}: the whole desired state of the registry's {@code api:} and
 * {@code plan:} records. {@link #fromJson} reads a document that {@link ConfigValidator} accepted; {@link #toJson}
 * writes the file's shape (APIs by name, plans by id, every field spelled out), so an export applied again changes
 * nothing.
 */
public record DeclarativeConfig(List<ApiRecord> apis, List<PlanRecord> plans) {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    public DeclarativeConfig {
        apis = apis.stream().sorted(Comparator.comparing(ApiRecord::name)).toList();
        plans = plans.stream().sorted(Comparator.comparing(PlanRecord::planId)).toList();
    }

    public static DeclarativeConfig of(Collection<ApiRecord> apis, Collection<PlanRecord> plans) {
        return new DeclarativeConfig(List.copyOf(apis), List.copyOf(plans));
    }

    /** The configuration of a document {@link ConfigValidator#validate} found no error in. */
    public static DeclarativeConfig fromJson(JsonNode document) {
        List<ApiRecord> apis = new ArrayList<>();
        for (JsonNode api : document.path("apis")) {
            apis.add(api(api));
        }
        List<PlanRecord> plans = new ArrayList<>();
        for (JsonNode plan : document.path("plans")) {
            plans.add(plan(plan));
        }
        return new DeclarativeConfig(apis, plans);
    }

    public static ApiRecord api(JsonNode api) {
        List<String> upstreams = new ArrayList<>();
        api.path("upstreams").forEach(u -> upstreams.add(u.asText()));
        Map<String, String> scopes = new LinkedHashMap<>();
        api.path("scopes").fields().forEachRemaining(e -> scopes.put(e.getKey(), e.getValue().asText()));
        return new ApiRecord(api.path("name").asText(), api.path("pathPrefix").asText(), upstreams, scopes,
                text(api.path("requiredGroup")), api.path("stripPrefix").asBoolean(false),
                api.path("forwardAuthorization").asBoolean(false));
    }

    public static PlanRecord plan(JsonNode plan) {
        JsonNode limits = plan.path("limits");
        return new PlanRecord(plan.path("id").asText(), plan.path("api").asText(), plan.path("name").asText(),
                strings(plan.path("scopes")), limits.path("perMinute").asLong(0), limits.path("perHour").asLong(0),
                limits.path("perDay").asLong(0), plan.path("maxDevices").asInt(0),
                plan.path("requiresApproval").asBoolean(false), strings(plan.path("grants")),
                seconds(plan.path("refreshReuse")), seconds(plan.path("sessionLifetime")),
                limits.path("appPerMinute").asLong(0), limits.path("monthlyQuota").asLong(0),
                text(plan.path("requiredGroup")));
    }

    /** The file's shape as JSON: {@code {"apis": [...], "plans": [...]}}. */
    public ObjectNode toJson() {
        ObjectNode root = NODES.objectNode();
        ArrayNode apiList = root.putArray("apis");
        apis.forEach(a -> apiList.add(apiJson(a)));
        ArrayNode planList = root.putArray("plans");
        plans.forEach(p -> planList.add(planJson(p)));
        return root;
    }

    public static ObjectNode apiJson(ApiRecord api) {
        ObjectNode out = NODES.objectNode();
        out.put("name", api.name());
        out.put("pathPrefix", api.pathPrefix());
        ArrayNode upstreams = out.putArray("upstreams");
        api.upstreams().forEach(upstreams::add);
        ObjectNode scopes = out.putObject("scopes");
        // methods in a stable order, "*" last as a reader expects it
        Map<String, String> sorted = new TreeMap<>(Comparator.comparing((String m) -> m.equals("*"))
                .thenComparing(Comparator.naturalOrder()));
        sorted.putAll(api.scopes());
        sorted.forEach(scopes::put);
        out.put("requiredGroup", api.requiredGroup());
        out.put("stripPrefix", api.stripPrefix());
        out.put("forwardAuthorization", api.forwardAuthorization());
        return out;
    }

    public static ObjectNode planJson(PlanRecord plan) {
        ObjectNode out = NODES.objectNode();
        out.put("id", plan.planId());
        out.put("api", plan.api());
        out.put("name", plan.name());
        ArrayNode scopes = out.putArray("scopes");
        plan.scopes().stream().sorted().forEach(scopes::add);
        ObjectNode limits = out.putObject("limits");
        limits.put("perMinute", plan.callsPerMinute());
        limits.put("perHour", plan.callsPerHour());
        limits.put("perDay", plan.callsPerDay());
        limits.put("appPerMinute", plan.appCallsPerMinute());
        limits.put("monthlyQuota", plan.monthlyQuota());
        out.put("maxDevices", plan.maxDevices());
        out.put("requiresApproval", plan.requiresApproval());
        out.put("requiredGroup", plan.requiredGroup());
        ArrayNode grants = out.putArray("grants");
        GRANT_ORDER.stream().filter(plan.grantTypes()::contains).forEach(grants::add);
        plan.grantTypes().stream().filter(g -> !GRANT_ORDER.contains(g)).sorted().forEach(grants::add);
        out.put("refreshReuse", duration(plan.refreshReuseSeconds()));
        out.put("sessionLifetime", duration(plan.sessionLifetimeSeconds()));
        return out;
    }

    private static final List<String> GRANT_ORDER = List.of("password", "refresh_token", "authorization_code",
            "client_credentials");

    /** Seconds from a number or {@code 30s}, {@code 10m}, {@code 12h}, {@code 30d}; absent = 0. */
    static long seconds(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return 0;
        }
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        String text = value.asText();
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> n;
            case 'm' -> n * 60;
            case 'h' -> n * 3600;
            case 'd' -> n * 86400;
            default -> throw new IllegalArgumentException("not a duration: " + text);
        };
    }

    /** The largest whole unit: {@code 0s}, {@code 90s}, {@code 10m}, {@code 12h}, {@code 30d}. */
    static String duration(long seconds) {
        if (seconds > 0 && seconds % 86400 == 0) {
            return seconds / 86400 + "d";
        }
        if (seconds > 0 && seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds > 0 && seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new LinkedHashSet<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static String text(JsonNode value) {
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
