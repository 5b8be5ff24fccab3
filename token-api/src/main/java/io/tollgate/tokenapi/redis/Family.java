package io.tollgate.tokenapi.redis;

import java.util.Map;

/**
 * A refresh token family as stored in {@code tg:family:{sid}}.
 *
 * @param audience the APIs the login named with RFC 8707 {@code resource}, space-separated, which no refresh may
 *                 widen; empty when it named none (the audience is then every API the client may use at the time)
 */
public record Family(String familyId, String user, String client, int generation, String hash, long createdAtMillis,
                     long expiresAtSeconds, String scope, String subscriptionId, String planId, String audience) {

    public Family {
        audience = audience == null ? "" : audience;
    }

    public static Family fromHash(String familyId, Map<String, String> h) {
        if (h == null || h.get("user") == null || h.get("hash") == null) {
            return null;
        }
        return new Family(familyId, h.get("user"), h.get("client"), Integer.parseInt(h.getOrDefault("generation", "0")),
                h.get("hash"), Long.parseLong(h.getOrDefault("createdAt", "0")),
                Long.parseLong(h.getOrDefault("expiresAt", "0")), h.getOrDefault("scope", ""),
                h.getOrDefault("subscriptionId", ""), h.getOrDefault("planId", ""), h.getOrDefault("audience", ""));
    }
}
