package io.tollgate.shared.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The signing keys every token-api node shares, and the rotation rules: a new key is published in the JWKS
 * before it signs, and a key leaves the JWKS only once the tokens it signed have expired. Immutable; each change
 * returns a new set and refuses ({@link KeySetException}) what would make a valid token fail somewhere.
 *
 * <p>Invariants: kids are unique and at most one key is {@link KeyState#ACTIVE}. token-api starts only with a set
 * that has an active key.
 */
public record KeySet(List<ManagedKey> keys) {
    /**
     * Added to the token lifetime before a key that stopped signing may be retired: the nodes read the key set
     * file every few seconds, so a node may sign with the old key a little after the promotion, and clocks differ.
     */
    public static final Duration RETIRE_MARGIN = Duration.ofMinutes(1);

    public KeySet {
        keys = List.copyOf(keys);
        Set<String> kids = new HashSet<>();
        long active = 0;
        for (ManagedKey key : keys) {
            if (!kids.add(key.kid())) {
                throw new KeySetException("two keys have the kid " + key.kid());
            }
            if (key.state() == KeyState.ACTIVE) {
                active++;
            }
        }
        if (active > 1) {
            throw new KeySetException("more than one key is active: " + keys.stream()
                    .filter(k -> k.state() == KeyState.ACTIVE).map(ManagedKey::kid).toList());
        }
    }

    /** A first set: one new key of {@code algorithm}, active from {@code now}. */
    public static KeySet init(SigningAlgorithm algorithm, Instant now, boolean demo) {
        return new KeySet(List.of(new ManagedKey(algorithm.generate(now), KeyState.ACTIVE, now, now, now, null, demo)));
    }

    /** A new key of {@code algorithm}, staged: in the file, not yet in the JWKS. */
    public static ManagedKey newStagedKey(SigningAlgorithm algorithm, Instant now) {
        return new ManagedKey(algorithm.generate(now), KeyState.STAGED, now, null, null, null, false);
    }

    /** The signing key, if the set has one. */
    public Optional<ManagedKey> active() {
        return keys.stream().filter(k -> k.state() == KeyState.ACTIVE).findFirst();
    }

    public Optional<ManagedKey> find(String kid) {
        return keys.stream().filter(k -> k.kid().equals(kid)).findFirst();
    }

    /** The key {@code kid}; refuses a kid the set does not hold. */
    public ManagedKey get(String kid) {
        return find(kid).orElseThrow(() -> new KeySetException("no key " + kid + " in the key set (kids: "
                + keys.stream().map(ManagedKey::kid).toList() + ")"));
    }

    /** The keys in the JWKS: published and active ones. */
    public List<ManagedKey> publishedKeys() {
        return keys.stream().filter(k -> k.state().published()).toList();
    }

    /** With {@code key} added (its kid must be new). */
    public KeySet add(ManagedKey key) {
        List<ManagedKey> next = new ArrayList<>(keys);
        next.add(key);
        return new KeySet(next);
    }

    /** Puts a staged key in the JWKS from {@code now}. */
    public KeySet publish(String kid, Instant now) {
        ManagedKey key = get(kid);
        if (key.state() != KeyState.STAGED) {
            throw new KeySetException("key " + kid + " is already " + key.state().label() + ", not staged");
        }
        return replace(key.withState(KeyState.PUBLISHED, now, null, null));
    }

    /**
     * Makes a published key the signing key; the active key, if any, goes back to published (it still verifies)
     * and its {@code deactivated} time is recorded. Refused, unless {@code force}, while the key has been published
     * for less than {@code minPublished} (the gateways refresh their JWKS at that interval).
     */
    public KeySet promote(String kid, Instant now, Duration minPublished, boolean force) {
        ManagedKey key = get(kid);
        if (key.state() != KeyState.PUBLISHED) {
            throw new KeySetException("key " + kid + " is " + key.state().label() + "; only a published key can "
                    + "be promoted" + (key.state() == KeyState.STAGED ? " (publish it first)" : ""));
        }
        if (!force && key.published() != null && now.isBefore(key.published().plus(minPublished))) {
            throw KeySetException.tooEarly("key " + kid + " was published at " + key.published() + ", less than "
                    + minPublished + " ago: gateways that have not refreshed their JWKS since would not know it; "
                    + "promote it from " + key.published().plus(minPublished));
        }
        List<ManagedKey> next = new ArrayList<>();
        for (ManagedKey k : keys) {
            if (k.kid().equals(kid)) {
                next.add(k.withState(KeyState.ACTIVE, k.published(), now, null));
            } else if (k.state() == KeyState.ACTIVE) {
                next.add(k.withState(KeyState.PUBLISHED, k.published(), k.activated(), now));
            } else {
                next.add(k);
            }
        }
        return new KeySet(next);
    }

    /**
     * Removes a key that does not sign. Refused for the active key (promote another first) and, unless
     * {@code force}, for a key that stopped signing less than {@code tokenLifetime} plus {@link #RETIRE_MARGIN}
     * ago: tokens it signed may still be valid.
     */
    public KeySet retire(String kid, Instant now, Duration tokenLifetime, boolean force) {
        ManagedKey key = get(kid);
        if (key.state() == KeyState.ACTIVE) {
            throw new KeySetException("key " + kid + " is active (it signs every new token); promote another key "
                    + "first");
        }
        if (!force && key.deactivated() != null) {
            Instant lastTokenExpires = key.deactivated().plus(tokenLifetime).plus(RETIRE_MARGIN);
            if (now.isBefore(lastTokenExpires)) {
                throw KeySetException.tooEarly("key " + kid + " stopped signing at " + key.deactivated()
                        + ": tokens it signed may be valid until " + lastTokenExpires + " (token lifetime "
                        + tokenLifetime + " plus " + RETIRE_MARGIN + " for the nodes' reload and clock skew)");
            }
        }
        List<ManagedKey> next = new ArrayList<>(keys);
        next.remove(key);
        return new KeySet(next);
    }

    private KeySet replace(ManagedKey changed) {
        List<ManagedKey> next = new ArrayList<>();
        for (ManagedKey k : keys) {
            next.add(k.kid().equals(changed.kid()) ? changed : k);
        }
        return new KeySet(next);
    }
}
