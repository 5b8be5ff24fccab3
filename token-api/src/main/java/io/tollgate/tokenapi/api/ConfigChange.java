package io.tollgate.tokenapi.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One difference between the registry and a declarative configuration: an API or a plan {@code created},
 * {@code updated} or {@code deleted}, with its entry in the file's shape before and after (null where it does not
 * exist).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ConfigChange(String kind, String name, String change, JsonNode before, JsonNode after) {
    public static final String API = "api";
    public static final String PLAN = "plan";
    public static final String CREATED = "created";
    public static final String UPDATED = "updated";
    public static final String DELETED = "deleted";
}
