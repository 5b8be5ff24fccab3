package io.tollgate.revocation.redis;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Every write the projection makes to Redis, each idempotent and monotonic so that a replay, a retry
 * or a rebuild running next to the live stream can never move state backwards. Writes that change
 * revocation or decision state announce the changed key on {@code tg:invalidate}. A Jedis implementation
 * serves production; an in-memory one serves topology tests.
 */
public interface RedisSink {

    /** {@code key} = max(current, notBefore), expiring at {@code expireAt}; publishes {@code key} when it grew. */
    boolean notBefore(String key, long notBefore, long expireAt);

    /** A presence marker (revoked family or jti) holding the revocation time; publishes {@code key} when new. */
    boolean marker(String key, long revokedAt, long expireAt);

    /**
     * The user's standing; a decision at least as new as the stored one replaces it (the topic's order breaks
     * ties within a second). Publishes the key when the content changed.
     */
    boolean decision(String key, Map<String, String> fields, long decidedAt);

    /** Re-projects a refresh family: the family hash moves only to a higher generation; every hash is indexed. */
    void family(FamilyWrite family);

    /** Absolute count of a usage window; never lowered, so a replay cannot double count or go backwards. */
    void usage(String key, long count, long expireAt);

    /** The {@code tg:projection} state, empty when the hash is missing (a new or flushed Redis). */
    Optional<String> projectionState();

    /**
     * Claims the rebuild of the projection for {@code rebuildId} (one atomic step): succeeds when
     * {@code tg:projection} is missing (a new or flushed Redis), or not {@code ready} and its last heartbeat
     * ({@code updatedAt}, Redis time) is older than {@code staleAfter} (a rebuild whose instance died), or when
     * {@code force}d. Sets {@code state=rebuilding}, {@code progress=0}, {@code rebuild=rebuildId}. A fresh
     * {@code rebuilding} hash means another instance is rebuilding right now: no second rebuild is started.
     */
    boolean claimRebuild(String rebuildId, Duration staleAfter, boolean force);

    /**
     * Records the claimed rebuild's {@code state} and {@code progress} (and a heartbeat) only while
     * {@code tg:projection} still names {@code rebuildId}; false when the hash was flushed (Redis lost or restarted
     * empty mid-rebuild) or another rebuild took it over: the caller must then stop, and never mark it ready.
     */
    boolean rebuildProgress(String rebuildId, String state, String progress);

    /** PUBLISH on {@code tg:invalidate}. */
    void publish(String message);
}
