package io.tollgate.shared.events;

import java.time.Instant;

/**
 * A user an operator has blocked: every token-api node refuses the user's logins and refreshes, on every grant, until
 * an operator unblocks them. On {@code tollgate.registry} under {@code block:<userId>}; unblocking writes a tombstone.
 * The user's existing tokens are revoked when the block is made (a {@code revocation} event of its own).
 *
 * @param userId    the identity provider's subject
 * @param reason    why, as the operator gave it (may be null)
 * @param operator  the operator account that blocked the user
 * @param blockedAt when
 */
public record UserBlockRecord(String userId, String reason, String operator, Instant blockedAt)
        implements EventData {

    public UserBlockRecord {
        Checks.text(userId, "userId");
        Checks.text(operator, "operator");
        Checks.present(blockedAt, "blockedAt");
    }

    public static String key(String userId) {
        return "block:" + userId;
    }

    @Override
    public String subject() {
        return key(userId);
    }
}
