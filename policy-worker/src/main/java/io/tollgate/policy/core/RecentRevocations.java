package io.tollgate.policy.core;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Families this instance revoked that Redis may not show yet. A FAMILY revocation goes to Kafka and reaches Redis
 * only through revocation-stream, so the next login of the same user, usually in the same batch, would see those
 * families still live and revoke them again (ops {@code FaultsIT} runs rounds of concurrent logins beyond the
 * device limit and counts one revocation per excess family). Revocations of the open transaction count at
 * once and are forgotten if it aborts (the batch is decided again); committed ones are remembered for
 * {@code keep}, long enough for the projection to show them. A projection lagging longer costs one more,
 * idempotent revocation, never a family left live. Not thread-safe: the policy loop's thread only.
 */
public final class RecentRevocations {
    private final Duration keep;
    private final Set<String> open = new HashSet<>();
    /** Family id to the instant it may be forgotten, in commit order (so oldest first). */
    private final Map<String, Instant> committed = new LinkedHashMap<>();

    public RecentRevocations(Duration keep) {
        this.keep = keep;
    }

    /** The open transaction revokes {@code familyId}. */
    public void revoking(String familyId) {
        open.add(familyId);
    }

    /** The open transaction committed: its revocations are now durable on Kafka. */
    public void committed(Instant now) {
        for (String family : open) {
            committed.remove(family);
            committed.put(family, now.plus(keep));
        }
        open.clear();
        expire(now);
    }

    /** The open transaction aborted: none of its revocations happened. */
    public void aborted() {
        open.clear();
    }

    /** {@code live} (oldest first, as read from Redis) without the families this instance already revoked. */
    public List<LiveFamily> stillLive(List<LiveFamily> live, Instant now) {
        expire(now);
        if (open.isEmpty() && committed.isEmpty()) {
            return live;
        }
        return live.stream().filter(f -> !open.contains(f.familyId()) && !committed.containsKey(f.familyId()))
                .toList();
    }

    public int size() {
        return open.size() + committed.size();
    }

    private void expire(Instant now) {
        Iterator<Map.Entry<String, Instant>> entries = committed.entrySet().iterator();
        while (entries.hasNext()) {
            if (entries.next().getValue().isAfter(now)) {
                return;
            }
            entries.remove();
        }
    }
}
