package io.tollgate.shared.events;

import java.util.List;
import java.util.Map;

/**
 * An API behind the gateways, as the declarative configuration ({@code tollgate.yaml}) defines it: its name (a
 * token's {@code aud} names it, subscriptions and plans refer to it), the path prefix it owns on every gateway, the
 * upstream base URLs (round robin), the scope each method needs ({@code "*"} = any other method; a method with no
 * entry and no {@code "*"} is refused), and the group a user must be in to get a token for it (null = any user).
 * On {@code tollgate.registry} under {@code api:<name>}; a tombstone removes the API from every gateway.
 */
public record ApiRecord(
        String name,
        String pathPrefix,
        List<String> upstreams,
        Map<String, String> scopes,
        String requiredGroup,
        boolean stripPrefix,
        boolean forwardAuthorization) implements EventData {

    public ApiRecord {
        Checks.text(name, "name");
        Checks.text(pathPrefix, "pathPrefix");
        if (!pathPrefix.startsWith("/")) {
            throw new IllegalArgumentException("pathPrefix must start with /");
        }
        upstreams = List.copyOf(Checks.present(upstreams, "upstreams"));
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("upstreams must not be empty");
        }
        scopes = Map.copyOf(Checks.present(scopes, "scopes"));
        requiredGroup = Checks.nullIfBlank(requiredGroup);
    }

    public static String key(String name) {
        return "api:" + name;
    }

    @Override
    public String subject() {
        return key(name);
    }
}
