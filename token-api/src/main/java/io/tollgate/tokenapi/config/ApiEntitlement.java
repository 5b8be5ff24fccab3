package io.tollgate.tokenapi.config;

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
    public String requiredGroup;

    @NotNull
    public Map<String, Set<String>> scopesByGroup = new HashMap<>();
}
