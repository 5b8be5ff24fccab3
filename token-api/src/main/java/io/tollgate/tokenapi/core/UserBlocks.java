package io.tollgate.tokenapi.core;

import io.tollgate.shared.events.UserBlockRecord;
import io.tollgate.shared.registry.RegistryView;
import io.tollgate.tokenapi.idp.CanonicalIds;
import io.tollgate.tokenapi.idp.IdentityProvider;
import io.tollgate.tokenapi.portal.RegistryWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Users an operator has blocked ({@link UserBlockRecord} on {@code tollgate.registry}): blocking revokes every token
 * of the user and makes every node refuse the user's password, refresh and authorization code grants and the hosted
 * login until the block is lifted.
 *
 * <p>A block is kept under the provider's canonical id of the name the operator typed ({@code ALICE} blocks alice),
 * or under the name as typed when the provider cannot resolve it (an HTTP provider, a user already gone, the provider
 * unreachable: a block must never wait on it). A user matches a block of their id, or of any spelling of it that
 * folds to the same {@link CanonicalIds#lockoutKey}: a block errs towards refusing.
 */
public final class UserBlocks {
    private static final Logger LOG = LoggerFactory.getLogger(UserBlocks.class);

    private final RegistryView registry;
    private final RegistryWriter writer;
    private final RevocationService revocations;
    private final IdentityProvider idp;
    private final Clock clock;

    public UserBlocks(RegistryView registry, RegistryWriter writer, RevocationService revocations,
                      IdentityProvider idp, Clock clock) {
        this.registry = registry;
        this.writer = writer;
        this.revocations = revocations;
        this.idp = idp;
        this.clock = clock;
    }

    /** The block that applies to {@code user} (a canonical id, as tokens carry it), if any. */
    public Optional<UserBlockRecord> find(String user) {
        if (user == null) {
            return Optional.empty();
        }
        Optional<UserBlockRecord> exact = registry.block(user);
        if (exact.isPresent()) {
            return exact;
        }
        String folded = CanonicalIds.lockoutKey(user);
        return registry.blocks().stream().filter(b -> CanonicalIds.lockoutKey(b.userId()).equals(folded)).findFirst();
    }

    /**
     * Blocks the user: the record is written and visible on this node before the user's tokens are revoked, so no
     * login can slip in between the revocation and the block.
     *
     * @return the block as written (its {@code userId} the canonical id)
     */
    public UserBlockRecord block(String typed, String operator, String reason) {
        String user = canonical(typed);
        UserBlockRecord block = new UserBlockRecord(user, reason, operator, clock.instant());
        writer.put(block, () -> block.equals(registry.block(user).orElse(null)));
        revocations.revokeUser(user, null, operator, reason == null ? "blocked" : reason);
        LOG.info("event=user.blocked user={} operator={}", user, operator);
        return block;
    }

    /**
     * Lifts the block on the user, when there is one.
     *
     * @return the block that was lifted; empty when the user was not blocked
     */
    public Optional<UserBlockRecord> unblock(String typed, String operator) {
        Optional<UserBlockRecord> block = find(typed);
        if (block.isEmpty()) {
            block = find(canonical(typed));
        }
        if (block.isEmpty()) {
            return Optional.empty();
        }
        String user = block.get().userId();
        writer.delete(UserBlockRecord.key(user));
        writer.await(() -> registry.block(user).isEmpty(), UserBlockRecord.key(user));
        LOG.info("event=user.unblocked user={} operator={}", user, operator);
        return block;
    }

    /** Every block, oldest first. */
    public List<UserBlockRecord> list() {
        return registry.blocks().stream()
                .sorted(Comparator.comparing(UserBlockRecord::blockedAt).thenComparing(UserBlockRecord::userId))
                .toList();
    }

    private String canonical(String typed) {
        return CanonicalIds.resolvedOrTyped(idp, typed,
                e -> LOG.warn("event=user_block.unresolved reason=\"{}\"", e.getMessage()));
    }
}
