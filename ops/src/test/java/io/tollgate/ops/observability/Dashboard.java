package io.tollgate.ops.observability;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.shared.json.Json;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shipped Grafana dashboard's queries, and the metric names each one selects. */
public final class Dashboard {
    /** The dashboard, from the module's directory (where Maven runs the tests). */
    public static final Path FILE = Path.of("observability", "grafana-dashboard.json");
    private static final Pattern IDENTIFIER =
            Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(?!\\s*\\()");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "offset", "bool", "inf", "nan");

    /** One line of one panel. */
    public record Target(String panel, String refId, String expr, String legend) {
        @Override
        public String toString() {
            return panel + " / " + refId + ": " + expr;
        }
    }

    private Dashboard() {
    }

    public static List<Target> targets(Path file) throws IOException {
        JsonNode dashboard = Json.mapper().readTree(file.toFile());
        List<Target> targets = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                targets.add(new Target(panel.path("title").asText(), target.path("refId").asText(),
                        target.path("expr").asText(), target.path("legendFormat").asText()));
            }
        }
        return targets;
    }

    /** The metric names a PromQL expression selects: identifiers that are not functions, keywords or labels. */
    public static List<String> metricNames(String expr) {
        String bare = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"") // string literals
                .replaceAll("\\{[^}]*}", " ")                         // label matchers
                .replaceAll("\\[[^\\]]*\\]", " ")                     // range selectors
                .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        List<String> names = new ArrayList<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            if (!KEYWORDS.contains(m.group(1).toLowerCase())) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
