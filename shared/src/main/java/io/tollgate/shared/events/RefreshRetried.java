package io.tollgate.shared.events;

/**
 * The refresh token just rotated was presented again by its client within its plan's refresh reuse interval, while
 * its successor was still unused: the same successor pair was answered again, and the family lives on. An audit fact
 * only (nothing is projected from it); {@code generation} is the family's current one, the successor's.
 */
public record RefreshRetried(String userId, String clientId, String familyId, int generation, String ip)
        implements UserEventData {

    public RefreshRetried {
        Checks.family(userId, clientId, familyId);
        if (generation < 1) {
            throw new IllegalArgumentException("generation must be at least 1: a retry follows a rotation");
        }
    }
}
