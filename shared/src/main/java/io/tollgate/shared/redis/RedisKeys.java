package io.tollgate.shared.redis;

import io.tollgate.shared.events.Revocation;

/**
 * The Redis key layout, defined once. Redis holds projections that can be rebuilt from Kafka
 * (revocations, decisions, usage, refresh families) and short-lived counters (lockout, rate limits).
 *
 * <pre>
 * tg:rev:user:{user}                 string  not-before, epoch seconds (USER revocation)
 * tg:rev:uc:{user}:{client}          string  not-before, epoch seconds (USER_CLIENT revocation)
 * tg:rev:client:{client}             string  not-before, epoch seconds (CLIENT revocation)
 * tg:rev:family:{family}             string  revocation time, epoch seconds
 * tg:rev:jti:{jti}                   string  revocation time, epoch seconds
 * tg:decision:{user}                 hash    outcome, policy, reason, decidedAt (the user's standing)
 * tg:family:{family}                 hash    user, client, generation, hash, createdAt, expiresAt, scope, ...
 * tg:rt:{refreshHash}                string  "{family} {generation}" for every hash a family ever had
 * tg:retry:{refreshHash}             hash    successor (the successor's refresh hash), sealed (the successor pair,
 *                                            AES-GCM under a key only the presented token yields); TTL the plan's
 *                                            refresh reuse interval; written by token-api's rotation only
 * tg:families:{user}:{client}        zset    family ids scored by creation time (epoch millis)
 * tg:family-clients:{user}           set     clients the user has families with
 * tg:fail:user:{user} / tg:fail:ip:{ip}   counters of failed logins
 * tg:lock:user:{user} / tg:lock:ip:{ip}   lockout markers with a TTL
 * tg:fail:account-ip:{ip} / tg:lock:account-ip:{ip}   the same for operator and resource-server passwords
 * tg:authz:{id}                      string  a pending authorization request (JSON) shown as a login page, short TTL
 * tg:code:{codeHash}                 string  an authorization code's grant (JSON), TTL at most 60 s, read once
 * tg:code-used:{codeHash}            string  the family issued from a redeemed code (a replay revokes it)
 * tg:rl:{subscription}|{user}:{window}:{start}  quota claimed in a rate-limit window (admitted calls + unused leases)
 * tg:rl:holders                          zset: gateway lease holders (node/event loop) by last claim time
 * tg:rl-app:{subscription}:{m|mo}:{start}      quota claimed in an app-wide window (minute, calendar month UTC) by all
 *                                        of an application's users together
 * tg:rl-app-holders:{subscription}             zset: the application's leases ({node/loop}|{user}) by last claim time
 * tg:usage:{client}|{user}:{m|h|d}:{start} absolute call counts per (app, user), by revocation-stream
 * tg:usage-api:{client}|{api}:{m|h|d}:{start} absolute call counts per (app, API), by revocation-stream
 * tg:dpop:{as|rs}:{sha256(jti)}      string  a DPoP proof's jti seen by the token endpoint (as) or any gateway (rs),
 *                                    SET NX with the proof window as TTL: a proof is accepted once
 * tg:projection                      hash    state (rebuilding|ready), progress, updatedAt (epoch millis, Redis
 *                                            TIME; a running rebuild's heartbeat), rebuild (id of the claiming rebuild)
 * channel tg:invalidate              pub/sub: the full key that changed, e.g. "tg:rev:user:alice", or "*" after a
 *                                    rebuild (everything may have changed)
 * </pre>
 */
public final class RedisKeys {
    public static final String PREFIX = "tg:";
    /** Pub/sub channel on which every change to revocation or decision state is announced. */
    public static final String INVALIDATION_CHANNEL = "tg:invalidate";
    /**
     * Hash describing the projection's state; gateways and token-api trust the absence of a fact in Redis only
     * while {@code state} is {@code ready}.
     */
    public static final String PROJECTION = "tg:projection";
    public static final String PROJECTION_STATE_FIELD = "state";
    public static final String PROJECTION_READY = "ready";
    public static final String PROJECTION_REBUILDING = "rebuilding";

    private RedisKeys() {
    }

    /** Where the token endpoint ({@code as}) or the gateways ({@code rs}) remember a DPoP proof's {@code jti}. */
    public static String dpopJti(String audience, String jtiHash) {
        return PREFIX + "dpop:" + audience + ":" + jtiHash;
    }

    /** The Redis key that holds a revocation's fact. */
    public static String revocation(Revocation revocation) {
        return switch (revocation.kind()) {
            case USER -> userNotBefore(revocation.userId());
            case USER_CLIENT -> userClientNotBefore(revocation.userId(), revocation.clientId());
            case CLIENT -> clientNotBefore(revocation.clientId());
            case FAMILY -> revokedFamily(revocation.familyId());
            case TOKEN -> revokedJti(revocation.jti());
        };
    }

    public static String userNotBefore(String user) {
        return "tg:rev:user:" + user;
    }

    public static String userClientNotBefore(String user, String client) {
        return "tg:rev:uc:" + user + ":" + client;
    }

    public static String clientNotBefore(String client) {
        return "tg:rev:client:" + client;
    }

    public static String revokedFamily(String family) {
        return "tg:rev:family:" + family;
    }

    public static String revokedJti(String jti) {
        return "tg:rev:jti:" + jti;
    }

    public static String decision(String user) {
        return "tg:decision:" + user;
    }

    public static String family(String family) {
        return "tg:family:" + family;
    }

    public static String refreshHash(String hash) {
        return "tg:rt:" + hash;
    }

    /** The successor of a just-rotated refresh token, kept for the plan's refresh reuse interval. */
    public static String refreshRetry(String hash) {
        return "tg:retry:" + hash;
    }

    public static String families(String user, String client) {
        return "tg:families:" + user + ":" + client;
    }

    public static String familyClients(String user) {
        return "tg:family-clients:" + user;
    }

    public static String userFailures(String user) {
        return "tg:fail:user:" + user;
    }

    public static String ipFailures(String ip) {
        return "tg:fail:ip:" + ip;
    }

    public static String userLock(String user) {
        return "tg:lock:user:" + user;
    }

    public static String ipLock(String ip) {
        return "tg:lock:ip:" + ip;
    }

    public static String pendingAuthorization(String id) {
        return "tg:authz:" + id;
    }

    public static String authorizationCode(String codeHash) {
        return "tg:code:" + codeHash;
    }

    public static String usedAuthorizationCode(String codeHash) {
        return "tg:code-used:" + codeHash;
    }

    /**
     * Wrong passwords of configured accounts (operators, resource servers) from an address: counted apart from
     * the logins', so guessing an operator's password cannot lock the phones behind that address out of their
     * logins, nor failed logins an operator out of the admin API.
     */
    public static String accountIpFailures(String ip) {
        return "tg:fail:account-ip:" + ip;
    }

    public static String accountIpLock(String ip) {
        return "tg:lock:account-ip:" + ip;
    }

    /** An (application, user) or (application, API) pair as one key segment. */
    public static String pair(String client, String userOrApi) {
        return client + "|" + userOrApi;
    }

    /** The gateway's quota claimed in one window by an (application, user) pair: its enforcement state only. */
    public static String rateLimit(String client, String user, Window window, long windowStartEpochSeconds) {
        return "tg:rl:" + pair(client, user) + ":" + window.code() + ":" + windowStartEpochSeconds;
    }

    /** Who may hold rate-limit leases (member node/loop, score = epoch seconds of its last claim). */
    public static final String RATE_LIMIT_HOLDERS = "tg:rl:holders";

    /**
     * The gateway's quota claimed in one app-wide window by an application, all its users together
     * ({@code windowCode} {@code m} for the minute, {@code mo} for the calendar month in UTC).
     */
    public static String appRateLimit(String client, String windowCode, long windowStartEpochSeconds) {
        return "tg:rl-app:" + client + ":" + windowCode + ":" + windowStartEpochSeconds;
    }

    /** The leases on an application's app-wide windows (member {@code node/loop|user}, score = last claim). */
    public static String appRateLimitHolders(String client) {
        return "tg:rl-app-holders:" + client;
    }

    public static String usage(String client, String user, Window window, long windowStartEpochSeconds) {
        return usageOfPair(pair(client, user), window, windowStartEpochSeconds);
    }

    /** {@link #usage} for an (app, user) pair already joined by {@link #pair} (the calls topic's key). */
    public static String usageOfPair(String clientUser, Window window, long windowStartEpochSeconds) {
        return USAGE + clientUser + ":" + window.code() + ":" + windowStartEpochSeconds;
    }

    /** The prefix every {@link #usage} key of one application starts with (for a SCAN). */
    public static String usagesOf(String client) {
        return USAGE + pair(client, "");
    }

    private static final String USAGE = "tg:usage:";

    /** Calls of one application to one API in a window, summed over its users. */
    public static String apiUsage(String client, String api, Window window, long windowStartEpochSeconds) {
        return apiUsageOfPair(pair(client, api), window, windowStartEpochSeconds);
    }

    /** {@link #apiUsage} for an (app, API) pair already joined by {@link #pair}. */
    public static String apiUsageOfPair(String clientApi, Window window, long windowStartEpochSeconds) {
        return "tg:usage-api:" + clientApi + ":" + window.code() + ":" + windowStartEpochSeconds;
    }

    /** The time windows of rate limits and usage aggregates. */
    public enum Window {
        MINUTE("m", 60), HOUR("h", 3_600), DAY("d", 86_400);

        private final String code;
        private final long seconds;

        Window(String code, long seconds) {
            this.code = code;
            this.seconds = seconds;
        }

        public String code() {
            return code;
        }

        public long seconds() {
            return seconds;
        }

        /** The start (epoch seconds) of the fixed window that contains {@code epochSeconds}. */
        public long start(long epochSeconds) {
            return epochSeconds - Math.floorMod(epochSeconds, seconds);
        }
    }
}
