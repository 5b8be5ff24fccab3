package io.tollgate.gateway.core;

import java.util.Map;
import java.util.function.BinaryOperator;

/**
 * A response the gateway gives itself instead of proxying. Steps return one as their {@link Stage} to stop the
 * pipeline; nothing is thrown. Bodies are small JSON objects {@code {"error": ..., "error_description": ...}} (RFC 6750 names).
 */
public record Rejection(int status, Outcome outcome, String error, String description, Map<String, String> headers)
        implements Stage {

    public static final String REALM = "tollgate";

    public Rejection {
        headers = Map.copyOf(headers);
    }

    /** A rejection without headers of its own. */
    public Rejection(int status, Outcome outcome, String error, String description) {
        this(status, outcome, error, description, Map.of());
    }

    public static Rejection invalidRequest(String description) {
        return challenged(400, Outcome.BAD_REQUEST, "invalid_request", description, Rejection::bearer);
    }

    public static Rejection badRequest(String description) {
        return new Rejection(400, Outcome.BAD_REQUEST, "invalid_request", description);
    }

    /** No API is routed at the path (none ever was, or it has been removed from the registry). */
    public static Rejection unknownApi() {
        return new Rejection(404, Outcome.NOT_FOUND, "unknown_api", "no API is routed at this path");
    }

    public static Rejection methodNotAllowed() {
        return new Rejection(405, Outcome.FORBIDDEN, "method_not_allowed", "the route does not allow this method");
    }

    /** RFC 9110 §10.1.1: an expectation other than 100-continue. */
    public static Rejection expectationFailed() {
        return new Rejection(417, Outcome.BAD_REQUEST, "invalid_request",
                "the only expectation supported is 100-continue");
    }

    /** RFC 6750 §3.1: no error code when the request carried no credentials. */
    public static Rejection noCredentials() {
        return new Rejection(401, Outcome.NO_CREDENTIALS, "invalid_request", "an access token is required",
                Map.of("WWW-Authenticate", "Bearer realm=\"" + REALM + "\""));
    }

    public static Rejection invalidToken(String description) {
        return challenged(401, Outcome.INVALID_TOKEN, "invalid_token", description, Rejection::bearer);
    }

    /** RFC 9449 §7.1: a DPoP proof that is missing, invalid or replayed, for a DPoP-bound token. */
    public static Rejection invalidDpopProof(String description) {
        return challenged(401, Outcome.INVALID_TOKEN, "invalid_dpop_proof", description, Rejection::dpop);
    }

    /** RFC 9449 §7.1: the token itself is not acceptable with DPoP (presented as Bearer, or not bound). */
    public static Rejection dpopInvalidToken(String description) {
        return challenged(401, Outcome.INVALID_TOKEN, "invalid_token", description, Rejection::dpop);
    }

    public static Rejection revoked(String description) {
        return challenged(401, Outcome.REVOKED, "invalid_token", description, Rejection::bearer);
    }

    public static Rejection insufficientScope(String scope) {
        String description = "the request requires scope " + scope;
        return new Rejection(403, Outcome.FORBIDDEN, "insufficient_scope", description,
                Map.of("WWW-Authenticate", "Bearer realm=\"" + REALM + "\", error=\"insufficient_scope\", "
                        + "error_description=\"" + description + "\", scope=\"" + scope + "\""));
    }

    public static Rejection forbidden(String description) {
        return new Rejection(403, Outcome.FORBIDDEN, "access_denied", description);
    }

    public static Rejection unavailable(String description) {
        return new Rejection(503, Outcome.UNAVAILABLE, "temporarily_unavailable", description,
                Map.of("Retry-After", "1"));
    }

    /** The gateway failed in a way no step foresaw (a step threw). */
    public static Rejection serverError() {
        return new Rejection(500, Outcome.UNAVAILABLE, "server_error", "the gateway could not process the request");
    }

    public static Rejection rateLimited(long retryAfterSeconds, RateLimitFields rateLimitFields) {
        Map<String, String> headers = rateLimitFields.asMap();
        headers.put("Retry-After", Long.toString(Math.max(1, retryAfterSeconds)));
        return new Rejection(429, Outcome.RATE_LIMITED, "rate_limited", "rate limit exceeded", headers);
    }

    public static Rejection badGateway() {
        return new Rejection(502, Outcome.UPSTREAM_ERROR, "bad_gateway", "the upstream could not be reached");
    }

    public static Rejection gatewayTimeout() {
        return new Rejection(504, Outcome.UPSTREAM_TIMEOUT, "gateway_timeout", "the upstream did not answer in time");
    }

    /** A rejection whose {@code WWW-Authenticate} challenge ({@link #bearer} or {@link #dpop}) names its error. */
    private static Rejection challenged(int status, Outcome outcome, String error, String description,
                                        BinaryOperator<String> challenge) {
        return new Rejection(status, outcome, error, description,
                Map.of("WWW-Authenticate", challenge.apply(error, description)));
    }

    /** The DPoP challenge; {@code algs} lists the proof algorithms accepted (RFC 9449 §7.1). */
    private static String dpop(String error, String description) {
        return "DPoP realm=\"" + REALM + "\", error=\"" + error + "\", error_description=\"" + description
                + "\", algs=\"" + String.join(" ", io.tollgate.shared.dpop.DpopProofVerifier.ALGORITHMS) + "\"";
    }

    private static String bearer(String error, String description) {
        return "Bearer realm=\"" + REALM + "\", error=\"" + error + "\", error_description=\"" + description + "\"";
    }

    /** The JSON body; descriptions are fixed strings of this code base, escaped anyway. */
    public String body() {
        return "{\"error\":\"" + escape(error) + "\",\"error_description\":\"" + escape(description) + "\"}";
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
