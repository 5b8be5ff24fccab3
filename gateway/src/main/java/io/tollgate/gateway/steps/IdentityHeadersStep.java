package io.tollgate.gateway.steps;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.tollgate.gateway.core.Exchange;
import io.tollgate.gateway.core.Rejection;
import io.tollgate.gateway.core.Stage;
import io.tollgate.gateway.core.Step;

import java.util.List;

/**
 * Sets the identity headers from the verified token and the registry (the entrance removed every client-sent
 * header of their families); drops {@code Authorization} unless the route forwards it, and always the DPoP proof.
 */
public final class IdentityHeadersStep implements Step {
    public static final String USER_ID = "X-Authenticated-UserId";
    public static final String SCOPE = "X-Authenticated-Scope";
    public static final String CREDENTIAL = "X-Credential-Identifier";
    public static final String CONSUMER_CUSTOM_ID = "X-Consumer-Custom-ID";
    public static final String CONSUMER_USERNAME = "X-Consumer-Username";
    public static final String PLAN = "X-ApiPlan";
    public static final List<String> ALL = List.of(USER_ID, SCOPE, CREDENTIAL, CONSUMER_CUSTOM_ID,
            CONSUMER_USERNAME, PLAN);
    // Netty hashes a String header name character by character on every get/set/remove; an AsciiString
    // caches its hash (in a JFR profile, hashing these names was about a tenth of the event loops' time).
    private static final AsciiString H_USER_ID = AsciiString.cached(USER_ID);
    private static final AsciiString H_SCOPE = AsciiString.cached(SCOPE);
    private static final AsciiString H_CREDENTIAL = AsciiString.cached(CREDENTIAL);
    private static final AsciiString H_CONSUMER_CUSTOM_ID = AsciiString.cached(CONSUMER_CUSTOM_ID);
    private static final AsciiString H_CONSUMER_USERNAME = AsciiString.cached(CONSUMER_USERNAME);
    private static final AsciiString H_PLAN = AsciiString.cached(PLAN);

    @Override
    public Stage apply(Exchange exchange) {
        // Every client-sent header of the route's identity families is already gone (the entrance, Inbound).
        HttpHeaders headers = exchange.headers();
        if (!exchange.route().config().forwardAuthorization) {
            headers.remove(HttpHeaderNames.AUTHORIZATION);
        }
        headers.remove(DpopStep.DPOP); // a proof is for this hop only, whatever the route forwards
        if (!exchange.token().clientToken()) {
            // a client token has no user: the header stays absent (the entrance removed any the client sent)
            headers.set(H_USER_ID, exchange.token().subject());
        }
        headers.set(H_SCOPE, exchange.scopes().header());
        headers.set(H_CREDENTIAL, exchange.token().clientId());
        headers.set(H_CONSUMER_CUSTOM_ID, exchange.subscription().subscriptionId());
        headers.set(H_CONSUMER_USERNAME, exchange.token().consumerUsername(exchange.subscription(),
                exchange.route().api()));
        headers.set(H_PLAN, exchange.plan().planId());
        return Stage.NEXT;
    }
}
