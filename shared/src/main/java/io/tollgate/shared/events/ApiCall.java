package io.tollgate.shared.events;

import java.time.Instant;

/** One request the gateway answered, admitted or not. {@code outcome} names the gateway's verdict. */
public record ApiCall(
        String clientId,
        String userId,
        String api,
        String route,
        String method,
        int status,
        long latencyMicros,
        Outcome outcome,
        Instant time) implements EventData {

    public enum Outcome { PROXIED, UNAUTHORIZED, FORBIDDEN, RATE_LIMITED, BAD_REQUEST, UNAVAILABLE, UPSTREAM_ERROR }

    public ApiCall {
        Checks.text(api, "api");
        Checks.text(method, "method");
        Checks.nonNegative(latencyMicros, "latencyMicros");
        Checks.present(outcome, "outcome");
        Checks.present(time, "time");
    }

    /** The Kafka key: client id + user id, so one (app, user) pair stays on one partition. */
    public String key() {
        return (clientId == null ? "-" : clientId) + "|" + (userId == null ? "-" : userId);
    }

    @Override
    public EventType eventType() {
        return EventType.API_CALL;
    }

    @Override
    public String subject() {
        return key();
    }
}
