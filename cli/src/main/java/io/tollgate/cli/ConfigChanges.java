package io.tollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * token-api's list of configuration changes as a person reads it: one line per API or plan ({@code +} created,
 * {@code ~} updated, {@code -} deleted), and under an update each field that changed, {@code before -> after}.
 */
final class ConfigChanges {

    private ConfigChanges() {
    }

    static void print(JsonNode changes, PrintWriter out) {
        for (JsonNode change : changes) {
            String kind = change.path("kind").asText();
            String name = change.path("name").asText();
            switch (change.path("change").asText()) {
                case "created" -> out.println("+ " + kind + " " + name);
                case "deleted" -> out.println("- " + kind + " " + name);
                default -> {
                    out.println("~ " + kind + " " + name);
                    for (String line : fields("", change.path("before"), change.path("after"))) {
                        out.println("    " + line);
                    }
                }
            }
        }
        out.flush();
    }

    /** {@code limits.perMinute: 60 -> 120} for each leaf that differs (arrays and maps of scopes as a whole). */
    static List<String> fields(String prefix, JsonNode before, JsonNode after) {
        List<String> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        before.fieldNames().forEachRemaining(names::add);
        after.fieldNames().forEachRemaining(names::add);
        for (String field : names) {
            JsonNode a = before.path(field);
            JsonNode b = after.path(field);
            if (a.equals(b)) {
                continue;
            }
            if (a.isObject() && b.isObject() && !field.equals("scopes")) {
                out.addAll(fields(prefix + field + ".", a, b));
            } else {
                out.add(prefix + field + ": " + show(a) + " -> " + show(b));
            }
        }
        return out;
    }

    private static String show(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return "null";
        }
        return value.isTextual() ? value.asText() : value.toString();
    }

    static int count(JsonNode changes) {
        int n = 0;
        for (Iterator<JsonNode> it = changes.elements(); it.hasNext(); it.next()) {
            n++;
        }
        return n;
    }
}
