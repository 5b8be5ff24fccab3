package io.tollgate.tokenapi.core;

import com.nimbusds.jwt.JWTClaimsSet;
import io.tollgate.shared.crypto.Hashes;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.Revocation;
import io.tollgate.shared.events.TokenRevoked;
import io.tollgate.tokenapi.api.OAuthException;
import io.tollgate.tokenapi.config.TokenSettings;
import io.tollgate.tokenapi.idp.CanonicalIds;
import io.tollgate.tokenapi.idp.IdentityProvider;
import io.tollgate.tokenapi.kafka.AuthEventPublisher;
import io.tollgate.tokenapi.redis.Family;
import io.tollgate.tokenapi.redis.RefreshFamilies;
import io.tollgate.tokenapi.redis.RevocationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Revocations (RFC 7009, the operator API, a replayed authorization code) and introspection (RFC 7662). Each
 * revocation writes its Redis fact at once (and announces it), then goes to {@code tollgate.revocations}; one a
 * client or an operator asked for also gets a {@code token.revoked} audit event on {@code tollgate.auth-events}.
 */
public final class RevocationService {
    private static final Logger LOG = LoggerFactory.getLogger(RevocationService.class);

    private final AccessTokens accessTokens;
    private final RefreshFamilies families;
    private final RevocationStore store;
    private final AuthEventPublisher events;
    private final TokenSettings settings;
    private final IdentityProvider idp;

    public RevocationService(AccessTokens accessTokens, RefreshFamilies families, RevocationStore store,
                             AuthEventPublisher events, TokenSettings settings, IdentityProvider idp) {
        this.accessTokens = accessTokens;
        this.families = families;
        this.store = store;
        this.events = events;
        this.settings = settings;
        this.idp = idp;
    }

    /** RFC 7009: revokes the client's own token; anything unknown or foreign is ignored (still 200). */
    public void revokeToken(ApplicationRecord client, String token, String hint) {
        Instant now = Instant.now();
        boolean refreshFirst = !"access_token".equals(hint) && !AccessTokens.looksLikeJwt(token);
        if (refreshFirst) {
            if (!revokeRefresh(client, token, now)) {
                revokeAccess(client, token, now);
            }
        } else if (!revokeAccess(client, token, now)) {
            revokeRefresh(client, token, now);
        }
    }

    private boolean revokeRefresh(ApplicationRecord client, String token, Instant now) {
        if (token.length() > 512) {
            return false;
        }
        RefreshFamilies.Lookup lookup = families.lookup(Hashes.sha256(token));
        Optional<Family> family = lookup.family();
        if (family.isEmpty() && !lookup.confirmed() && !AccessTokens.looksLikeJwt(token)) {
            // RFC 7009 §2.2.1: on 503 the client keeps the token and retries. Answering 200 now would leave the
            // family live once the rebuild brings it back: the user's log-out would silently not happen.
            throw unconfirmed();
        }
        if (family.isEmpty() || !family.get().client().equals(client.clientId())) {
            return false;
        }
        Family f = family.get();
        apply(new Revocation(Revocation.Kind.FAMILY, f.user(), f.client(), f.familyId(), null, seconds(now),
                expiry(now), client.clientId(), "rfc7009"), now,
                new TokenRevoked(f.user(), f.client(), Revocation.Kind.FAMILY, f.familyId(), client.clientId(),
                        "rfc7009"));
        return true;
    }

    private boolean revokeAccess(ApplicationRecord client, String token, Instant now) {
        Optional<JWTClaimsSet> claims = accessTokens.verify(token, now);
        if (claims.isEmpty() || !client.clientId().equals(claim(claims.get(), "client_id"))) {
            return false;
        }
        String jti = claims.get().getJWTID();
        // a client token (client credentials) names no user: its subject is the client
        String user = AccessTokens.isClientToken(claims.get()) ? null : claims.get().getSubject();
        apply(new Revocation(Revocation.Kind.TOKEN, user, client.clientId(), null, jti, seconds(now), expiry(now),
                client.clientId(), "rfc7009"), now,
                new TokenRevoked(user, client.clientId(), Revocation.Kind.TOKEN, jti, client.clientId(), "rfc7009"));
        return true;
    }

    /** Operator API: every token of the user (optionally for one client) issued up to now. */
    public void revokeUser(String typed, String clientId, String operator, String reason) {
        String user = canonical(typed);
        Instant now = Instant.now();
        Revocation.Kind kind = clientId == null ? Revocation.Kind.USER : Revocation.Kind.USER_CLIENT;
        apply(new Revocation(kind, user, clientId, null, null, seconds(now), expiry(now), operator, reason), now,
                new TokenRevoked(user, clientId, kind, user, operator, reason));
    }

    /** Operator API: every token of the client issued up to now. */
    public void revokeClient(String clientId, String operator, String reason) {
        Instant now = Instant.now();
        apply(new Revocation(Revocation.Kind.CLIENT, null, clientId, null, null, seconds(now), expiry(now), operator,
                reason), now, new TokenRevoked(null, clientId, Revocation.Kind.CLIENT, clientId, operator, reason));
    }

    /** The user id tokens carry ({@code sub}) for the name an operator typed ({@link CanonicalIds#resolvedOrTyped}). */
    private String canonical(String typed) {
        return CanonicalIds.resolvedOrTyped(idp, typed,
                e -> LOG.warn("event=revocation.unresolved reason=\"{}\"", e.getMessage()));
    }

    /**
     * A family token-api revokes on its own finding (an authorization code presented again, RFC 6749 §4.1.2): the
     * Redis fact at once, then {@code tollgate.revocations}. No {@code token.revoked}: that audits a revocation a
     * client or an operator asked for; the finding is the caller's to report.
     */
    public void revokeFamily(String user, String clientId, String familyId, String reason) {
        Instant now = Instant.now();
        write(new Revocation(Revocation.Kind.FAMILY, user, clientId, familyId, null, seconds(now), expiry(now),
                "token-api", reason), now);
    }

    private void apply(Revocation revocation, Instant now, TokenRevoked audit) {
        write(revocation, now);
        events.emit(audit);
        LOG.info("event=token.revoked kind={} key={} actor={}", revocation.kind(), revocation.key(),
                revocation.actor());
    }

    private void write(Revocation revocation, Instant now) {
        store.write(revocation, now);
        events.revocation(revocation);
    }

    /** RFC 7662 answer for an access or refresh token of this service. */
    public Map<String, Object> introspect(String token, String hint) {
        Instant now = Instant.now();
        Map<String, Object> out = new LinkedHashMap<>();
        Optional<JWTClaimsSet> claims = AccessTokens.looksLikeJwt(token) ? accessTokens.verify(token, now)
                : Optional.empty();
        if (claims.isPresent()) {
            JWTClaimsSet c = claims.get();
            String client = claim(c, "client_id");
            String sid = claim(c, "sid");
            // a client token has no user: user revocations and decisions never apply to it
            boolean clientToken = AccessTokens.isClientToken(c);
            RevocationStore.Standing standing = store.token(clientToken ? null : c.getSubject(), client, sid,
                    c.getJWTID(), c.getIssueTime().toInstant().getEpochSecond());
            if (standing == RevocationStore.Standing.REVOKED) {
                out.put("active", false);
                return out;
            }
            if (standing == RevocationStore.Standing.UNCONFIRMED) {
                throw unconfirmed();
            }
            out.put("active", true);
            out.put("scope", claim(c, "scope"));
            out.put("client_id", client);
            if (!clientToken) {
                out.put("username", c.getSubject());
            }
            out.put("token_type", "Bearer");
            out.put("exp", c.getExpirationTime().toInstant().getEpochSecond());
            out.put("iat", c.getIssueTime().toInstant().getEpochSecond());
            out.put("sub", c.getSubject());
            out.put("aud", c.getAudience());
            out.put("iss", c.getIssuer());
            out.put("jti", c.getJWTID());
            if (sid != null) {
                out.put("sid", sid);
            }
            return out;
        }
        if (!AccessTokens.looksLikeJwt(token) && token.length() <= 512) {
            RefreshFamilies.Lookup lookup = families.lookup(Hashes.sha256(token));
            if (lookup.family().isEmpty() && !lookup.confirmed()) {
                throw unconfirmed();
            }
            Optional<Family> family = lookup.family();
            if (family.isPresent()) {
                Family f = family.get();
                // a rotated-away or expired token is inactive; a current one is live unless a fact revokes it
                boolean current = f.hash().equals(Hashes.sha256(token)) && f.expiresAtSeconds() > now.getEpochSecond();
                RevocationStore.Standing standing = current
                        ? store.token(f.user(), f.client(), f.familyId(), null, f.createdAtMillis() / 1000)
                        : RevocationStore.Standing.REVOKED;
                if (standing == RevocationStore.Standing.UNCONFIRMED) {
                    throw unconfirmed();
                }
                if (standing == RevocationStore.Standing.CLEAR) {
                    out.put("active", true);
                    out.put("scope", f.scope());
                    out.put("client_id", f.client());
                    out.put("username", f.user());
                    out.put("token_type", "refresh_token");
                    out.put("exp", f.expiresAtSeconds());
                    out.put("sub", f.user());
                    out.put("sid", f.familyId());
                    return out;
                }
            }
        }
        out.put("active", false);
        return out;
    }

    /**
     * The user's live refresh-token families (all clients, or one), oldest first, by the rule introspection
     * applies to a current refresh token: not expired, and no fact (its family, a user / user+client / client
     * not-before at or after its creation second, a DENY decision) revokes it. 503 while the projection is not
     * {@code ready}: an absent family or fact proves nothing then.
     */
    public List<Family> liveFamilies(String user, String clientId) {
        RevocationStore.Standing userStanding = store.decision(user);
        if (userStanding == RevocationStore.Standing.UNCONFIRMED) {
            throw unconfirmed();
        }
        if (userStanding == RevocationStore.Standing.REVOKED) {
            return List.of();
        }
        long now = Instant.now().getEpochSecond();
        List<Family> live = new ArrayList<>();
        for (Family f : families.ofUser(user, clientId)) {
            if (f.expiresAtSeconds() <= now) {
                continue;
            }
            RevocationStore.Standing standing = store.token(f.user(), f.client(), f.familyId(), null,
                    f.createdAtMillis() / 1000);
            if (standing == RevocationStore.Standing.UNCONFIRMED) {
                throw unconfirmed();
            }
            if (standing == RevocationStore.Standing.CLEAR) {
                live.add(f);
            }
        }
        live.sort(Comparator.comparingLong(Family::createdAtMillis).thenComparing(Family::familyId));
        return live;
    }

    /**
     * 503 while revocation-stream's projection is not {@code ready}: the absence of a family or of a revocation
     * fact in a Redis that is being rebuilt proves nothing.
     */
    private OAuthException unconfirmed() {
        LOG.warn("event=token_state.unconfirmed reason=projection_not_ready");
        return OAuthException.unavailable("token state is being restored, try again later",
                settings.retryAfter.toJavaDuration());
    }

    private Instant expiry(Instant now) {
        return seconds(now).plus(settings.revocationLifetime());
    }

    private static Instant seconds(Instant now) {
        return Instant.ofEpochSecond(now.getEpochSecond());
    }

    private static String claim(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String s ? s : null;
    }
}
