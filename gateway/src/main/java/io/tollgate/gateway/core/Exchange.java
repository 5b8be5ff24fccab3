package io.tollgate.gateway.core;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaders;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.SubscriptionRecord;

/**
 * One request as the pipeline sees it. Steps read the request line and headers and fill in what they
 * established (route, token, subscription, plan, rate-limit headers). Owned by one thread at a time.
 */
public final class Exchange {
    private final String method;
    private final String uri;
    private final HttpHeaders headers;
    private final String requestId;
    private final long startNanos;

    private String path;
    private String query;
    private TokenText bearer;
    private String bearerToken;
    private boolean dpopScheme;
    private String scheme = "http";
    private Route route;
    private VerifiedToken token;
    private SubscriptionRecord subscription;
    private PlanRecord plan;
    private EffectiveScopes scopes;
    private RateLimitFields responseHeaders = RateLimitFields.NONE;
    private EventLoop eventLoop;
    private String traceparent;

    public Exchange(String method, String uri, HttpHeaders headers, String requestId, long startNanos) {
        this.method = method;
        this.uri = uri;
        this.headers = headers;
        this.requestId = requestId;
        this.startNanos = startNanos;
        int q = uri.indexOf('?');
        this.path = q < 0 ? uri : uri.substring(0, q);
        this.query = q < 0 ? null : uri.substring(q + 1);
    }

    public String method() {
        return method;
    }

    public String uri() {
        return uri;
    }

    /** The raw (still percent-encoded) path. */
    public String path() {
        return path;
    }

    public String query() {
        return query;
    }

    /** The client's request headers; steps remove and set headers here before the request is proxied. */
    public HttpHeaders headers() {
        return headers;
    }

    public String requestId() {
        return requestId;
    }

    public long startNanos() {
        return startNanos;
    }

    /** The access token of a {@code Bearer} or {@code DPoP} {@code Authorization}; null without one. */
    public String bearerToken() {
        String token = bearerToken;
        if (token == null && bearer != null) {
            token = bearer.token();
            bearerToken = token;
        }
        return token;
    }

    /**
     * The access token where it arrived, in the {@code Authorization} value; null without one. It is copied out only
     * if {@link #bearerToken()} is asked for, which a verified-token cache hit never does.
     */
    public TokenText bearer() {
        return bearer;
    }

    public void bearer(TokenText bearer) {
        this.bearer = bearer;
        this.bearerToken = null;
    }

    /** Whether the token came as {@code Authorization: DPoP} (RFC 9449 §7.1) rather than {@code Bearer}. */
    public boolean dpopScheme() {
        return dpopScheme;
    }

    public void dpopScheme(boolean dpopScheme) {
        this.dpopScheme = dpopScheme;
    }

    /** The scheme of the listener the request came in on: {@code https} with TLS, else {@code http}. */
    public String scheme() {
        return scheme;
    }

    public void scheme(String scheme) {
        this.scheme = scheme;
    }

    public Route route() {
        return route;
    }

    public void route(Route route) {
        this.route = route;
    }

    public VerifiedToken token() {
        return token;
    }

    public void token(VerifiedToken token) {
        this.token = token;
    }

    public SubscriptionRecord subscription() {
        return subscription;
    }

    public void subscription(SubscriptionRecord subscription) {
        this.subscription = subscription;
    }

    public PlanRecord plan() {
        return plan;
    }

    public void plan(PlanRecord plan) {
        this.plan = plan;
    }

    /** The token's scopes that the plan of the route's API grants; set with the plan. */
    public EffectiveScopes scopes() {
        return scopes;
    }

    public void scopes(EffectiveScopes scopes) {
        this.scopes = scopes;
    }

    /** The client connection's event loop (null outside the proxy). */
    public EventLoop eventLoop() {
        return eventLoop;
    }

    public void eventLoop(EventLoop eventLoop) {
        this.eventLoop = eventLoop;
    }

    /** The W3C {@code traceparent} the request carries upstream (the client's, or the gateway's new one). */
    public String traceparent() {
        return traceparent;
    }

    public void traceparent(String traceparent) {
        this.traceparent = traceparent;
    }

    /** Headers added to whatever response the client gets (rate-limit fields); none until a step sets them. */
    public RateLimitFields responseHeaders() {
        return responseHeaders;
    }

    /** Sets the response fields (the rate limiter's, kept as its decision made them: no copy per request). */
    public void responseHeaders(RateLimitFields responseHeaders) {
        this.responseHeaders = responseHeaders;
    }
}
