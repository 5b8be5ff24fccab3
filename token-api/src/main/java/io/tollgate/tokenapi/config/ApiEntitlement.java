package io.tollgate.tokenapi.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Who may use an API: members of {@code requiredGroup} (none = every authenticated user). With
 * {@code scopesByGroup} empty, an entitled user may have every scope of the plan; otherwise only the
 * union of the scopes of the groups the user is in.
 */
public class ApiEntitlement {
    private String requiredGroup;

    @NotNull
    private Map<String, Set<String>> scopesByGroup = new HashMap<>();

    @JsonProperty
    public String getRequiredGroup() {
        return requiredGroup;
    }

    @JsonProperty
    public void setRequiredGroup(String requiredGroup) {
        this.requiredGroup = requiredGroup;
    }

    @JsonProperty
    public Map<String, Set<String>> getScopesByGroup() {
        return scopesByGroup;
    }

    @JsonProperty
    public void setScopesByGroup(Map<String, Set<String>> scopesByGroup) {
        this.scopesByGroup = scopesByGroup;
    }
}
