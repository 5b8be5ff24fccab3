package io.tollgate.shared.events;

import java.time.Instant;

/**
 * One request the gateway answered, admitted or not. {@code outcome} names the gateway's verdict; {@code traceId} is
 * the W3C Trace Context trace-id (32 lower-case hex characters) of the {@code traceparent} the gateway sent upstream
 * or would have, null in records written before the gateway carried it.
 */
public record ApiCall(
        String clientId,
        String userId,
        String api,
        String route,
        String method,
        int status,
        long latencyMicros,
        Outcome outcome,
        Instant time,
        String traceId) implements EventData {

    public enum Outcome { PROXIED, UNAUTHORIZED, FORBIDDEN, RATE_LIMITED, BAD_REQUEST, UNAVAILABLE, UPSTREAM_ERROR }

    public ApiCall {
        Checks.text(api, "api");
        Checks.text(method, "method");
        Checks.nonNegative(latencyMicros, "latencyMicros");
        Checks.present(outcome, "outcome");
        Checks.present(time, "time");
        if (traceId != null && !isTraceId(traceId)) {
            throw new IllegalArgumentException("traceId must be 32 lower-case hex characters");
        }
    }

    /** 32 lower-case hex characters (a loop: the gateway makes one call record per request). */
    private static boolean isTraceId(String s) {
        if (s.length() != 32) {
            return false;
        }
        for (int i = 0; i < 32; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** A call without a trace id. */
    public ApiCall(String clientId, String userId, String api, String route, String method, int status,
                   long latencyMicros, Outcome outcome, Instant time) {
        this(clientId, userId, api, route, method, status, latencyMicros, outcome, time, null);
    }

    /** Between the key's two parts. */
    public static final char KEY_SEPARATOR = '|';

    /**
     * The Kafka key: client id + user id ({@link #keyPart} each, {@link #KEY_SEPARATOR} between), so one (app, user)
     * pair stays on one partition.
     */
    public String key() {
        return keyPart(clientId) + KEY_SEPARATOR + keyPart(userId);
    }

    /** One part of {@link #key()}: the id, or {@code -} for none. */
    public static String keyPart(String id) {
        return id == null ? "-" : id;
    }

    @Override
    public String subject() {
        return key();
    }
}
