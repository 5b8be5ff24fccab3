package io.tollgate.tokenapi.redis;

import java.util.Map;

/**
 * A refresh token family as stored in {@code tg:family:{sid}}.
 *
 * @param audience the APIs the login named with RFC 8707 {@code resource}, space-separated, which no refresh may
 *                 widen; empty when it named none (the audience is then every API the client may use at the time)
 * @param jkt      the RFC 7638 thumbprint of the DPoP key a public client's refresh tokens are bound to (a refresh
 *                 must carry a proof by that key); empty when the family is not bound
 */
public record Family(String familyId, String user, String client, int generation, String hash, long createdAtMillis,
                     long expiresAtSeconds, String scope, String subscriptionId, String planId, String audience, String jkt) {

    public Family {
        audience = audience == null ? "" : audience;
        jkt = jkt == null ? "" : jkt;
    }

    /** A family not bound to a DPoP key. */
    public Family(String familyId, String user, String client, int generation, String hash, long createdAtMillis,
                  long expiresAtSeconds, String scope, String subscriptionId, String planId, String audience) {
        this(familyId, user, client, generation, hash, createdAtMillis, expiresAtSeconds, scope, subscriptionId, planId,
                audience, "");
    }

    public boolean dpopBound() {
        return !jkt.isEmpty();
    }

    public static Family fromHash(String familyId, Map<String, String> h) {
        if (h == null || h.get("user") == null || h.get("hash") == null) {
            return null;
        }
        return new Family(familyId, h.get("user"), h.get("client"), Integer.parseInt(h.getOrDefault("generation", "0")),
                h.get("hash"), Long.parseLong(h.getOrDefault("createdAt", "0")),
                Long.parseLong(h.getOrDefault("expiresAt", "0")), h.getOrDefault("scope", ""),
                h.getOrDefault("subscriptionId", ""), h.getOrDefault("planId", ""), h.getOrDefault("audience", ""),
                h.getOrDefault("jkt", ""));
    }
}
