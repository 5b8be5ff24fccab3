package io.tollgate.gateway.state;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Redis values cached with the stamps of the read that produced them: the invalidation version of the key (and
 * of "everything") captured BEFORE the read, and when the read started. An entry is served only while no
 * invalidation of its key or of everything has been seen since, and while it is younger than the maximum age.
 *
 * <p>Checking the stamps on every read, instead of refusing to insert after an invalidation, is what makes a
 * load that raced an invalidation harmless however its insert interleaves with that invalidation: the insert may
 * land after the removal, but its stamp is already outdated, so it is never served. Removal only frees memory.
 *
 * <p>Versions are kept per stripe of keys, not per key, so they cost a fixed 32 KB and no tombstones: an
 * invalidation of one key makes the other keys of its stripe miss once, never serves anything stale. A hit
 * allocates nothing: one map lookup, two volatile reads and a subtraction.
 */
final class StampedCache {
    private static final int STRIPES = 1 << 12;

    /** A value read from Redis ({@code null}: absent) with the stamps it was read under. */
    record Entry(String value, long epoch, long version, long readAtNanos) {
    }

    private final Cache<String, Entry> cache;
    private final AtomicLongArray versions = new AtomicLongArray(STRIPES);
    private final long maxAgeNanos;
    /** Bumped by {@link #invalidateAll}: every entry read under an older epoch is dead. */
    private volatile long epoch;

    StampedCache(long maximumSize, long maxAgeNanos) {
        this.maxAgeNanos = maxAgeNanos;
        this.cache = Caffeine.newBuilder().maximumSize(maximumSize)
                .executor(Runnable::run) // maintenance on the calling thread: no wake-up of a pool thread per read
                .build();
    }

    /** The current epoch; capture it before a read whose results go to {@link #put}. */
    long epoch() {
        return epoch;
    }

    /** The key's current version; capture it before a read whose results go to {@link #put}. */
    long version(String key) {
        return versions.get(stripe(key));
    }

    /**
     * The entry when it may still be served at {@code nowNanos}; null when not cached, invalidated since its read
     * started, or read longer than the maximum age ago (then it must be read from Redis again).
     */
    Entry get(String key, long nowNanos) {
        Entry entry = cache.getIfPresent(key);
        return entry != null && servable(key, entry, nowNanos) ? entry : null;
    }

    /**
     * Whether {@code entry}, read for {@code key}, may still be served at {@code nowNanos}: no invalidation of its
     * key or of everything seen since its read started, and not older than the maximum age. The rule decides by the
     * entry's stamps alone, so an entry kept elsewhere (a verdict derived from it) is checked without a lookup.
     */
    boolean servable(String key, Entry entry, long nowNanos) {
        return entry.epoch == epoch && entry.version == versions.get(stripe(key))
                && nowNanos - entry.readAtNanos <= maxAgeNanos;
    }

    /** {@link #servable} for every key and its entry, in the same order. */
    boolean servable(String[] keys, Entry[] entries, long nowNanos) {
        for (int i = 0; i < keys.length; i++) {
            if (!servable(keys[i], entries[i], nowNanos)) {
                return false;
            }
        }
        return true;
    }

    /** Caches a value read from Redis under the stamps captured before that read started. */
    void put(String key, String value, long epoch, long version, long readAtNanos) {
        cache.put(key, new Entry(value, epoch, version, readAtNanos));
    }

    /** The version moves first: from then on no entry of the key read earlier is served, inserted or not yet. */
    void invalidate(String key) {
        versions.incrementAndGet(stripe(key));
        cache.invalidate(key);
    }

    void invalidateAll() {
        synchronized (this) { // a plain increment of a volatile; the rare writers (subscriber, monitor) serialise
            epoch++;
        }
        cache.invalidateAll();
    }

    long size() {
        return cache.estimatedSize();
    }

    private static int stripe(String key) {
        int h = key.hashCode(); // cached by String
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }
}
