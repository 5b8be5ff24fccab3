package io.tollgate.shared.admin;

import io.tollgate.shared.auth.AddressGuard;
import io.tollgate.shared.auth.LockoutPolicy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wrong operator passwords per client address, in this node's memory: from the {@code threshold}-th failure
 * within {@code window} the address is locked for a wait that doubles with each further failure
 * ({@link LockoutPolicy}). An admin port is reached by a handful of operators and scrapers, so a per-node count
 * is enough to stop a guesser from making it hash passwords all day; it is not shared between nodes and a
 * restart forgets it. At most {@code maxAddresses} are tracked: past that the expired counts are dropped first,
 * then the counts still below the threshold (their addresses start afresh), and only when every tracked address
 * is locked the lock that ends first; so flooding the table from many addresses never lifts a lock early,
 * except the soonest-ending one when all of them are locked.
 */
public final class AddressLockout implements AddressGuard {
    private final LockoutPolicy policy;
    private final Duration window;
    private final int maxAddresses;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(int failures, Instant firstFailure, Instant lockedUntil) {
    }

    public AddressLockout(LockoutPolicy policy, Duration window, int maxAddresses, Clock clock) {
        this.policy = policy;
        this.window = window;
        this.maxAddresses = maxAddresses;
        this.clock = clock;
    }

    @Override
    public Optional<Duration> lockedFor(String address) {
        Entry entry = entries.get(address);
        Instant now = clock.instant();
        if (entry == null || entry.lockedUntil() == null || !entry.lockedUntil().isAfter(now)) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, entry.lockedUntil()));
    }

    @Override
    public void countFailure(String address) {
        Instant now = clock.instant();
        if (entries.size() >= maxAddresses && !entries.containsKey(address)) {
            entries.values().removeIf(e -> expired(e, now));
            if (entries.size() >= maxAddresses) {
                entries.values().removeIf(e -> !locked(e, now)); // counts below the threshold: a fresh start
            }
            if (entries.size() >= maxAddresses) {
                // every tracked address is locked: the lock that ends first goes
                entries.entrySet().stream().min(Map.Entry.comparingByValue(
                                java.util.Comparator.comparing(Entry::lockedUntil)))
                        .ifPresent(e -> entries.remove(e.getKey(), e.getValue()));
            }
        }
        entries.compute(address, (key, old) -> {
            Entry current = old == null || expired(old, now) ? new Entry(0, now, null) : old;
            int failures = current.failures() + 1;
            Duration wait = policy.waitAfter(failures);
            Instant lockedUntil = wait.isZero() ? current.lockedUntil() : now.plus(wait);
            return new Entry(failures, current.firstFailure(), lockedUntil);
        });
    }

    /** Counts older than the window are forgotten, but never while their lock still holds. */
    private boolean expired(Entry entry, Instant now) {
        return !locked(entry, now) && !entry.firstFailure().plus(window).isAfter(now);
    }

    private static boolean locked(Entry entry, Instant now) {
        return entry.lockedUntil() != null && entry.lockedUntil().isAfter(now);
    }
}
