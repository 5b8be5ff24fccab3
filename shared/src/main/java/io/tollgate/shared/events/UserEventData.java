package io.tollgate.shared.events;

/** The data of an event about one user's login or tokens: its CloudEvents {@code subject} is the user id. */
public sealed interface UserEventData extends EventData
        permits LoginSucceeded, LoginFailed, LoginLocked, TokenRefreshed, RefreshReused, RefreshRetried, PolicyDecision {

    /** The user the event is about. */
    String userId();

    @Override
    default String subject() {
        return userId();
    }
}
