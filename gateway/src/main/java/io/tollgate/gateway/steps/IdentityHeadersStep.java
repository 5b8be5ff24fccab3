package io.tollgate.gateway.steps;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.tollgate.gateway.core.Exchange;
import io.tollgate.gateway.core.Rejection;
import io.tollgate.gateway.core.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Removes every identity header the client sent (names compare case-insensitively) and sets them from the
 * verified token and the registry; drops {@code Authorization} unless the route forwards it.
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
    private static final AsciiString[] H_ALL = {H_USER_ID, H_SCOPE, H_CREDENTIAL, H_CONSUMER_CUSTOM_ID,
        H_CONSUMER_USERNAME, H_PLAN};
    private static final Set<String> NORMALIZED = ALL.stream().map(n -> n.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());

    @Override
    public Rejection apply(Exchange exchange) {
        HttpHeaders headers = exchange.headers();
        for (AsciiString name : H_ALL) {
            headers.remove(name);
        }
        // CGI-style backends (PHP, Rack, WSGI) map '_' and '-' to the same variable: X_Authenticated_UserId
        // would arrive as HTTP_X_AUTHENTICATED_USERID, so underscore spellings are identity headers too.
        List<String> disguised = null;
        for (var it = headers.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (indexOf(name, '_') >= 0
                    && NORMALIZED.contains(name.toString().replace('_', '-').toLowerCase(Locale.ROOT))) {
                if (disguised == null) {
                    disguised = new ArrayList<>();
                }
                disguised.add(name.toString());
            }
        }
        if (disguised != null) {
            disguised.forEach(headers::remove);
        }
        if (!exchange.route().config().isForwardAuthorization()) {
            headers.remove(HttpHeaderNames.AUTHORIZATION);
        }
        headers.set(H_USER_ID, exchange.token().subject());
        headers.set(H_SCOPE, exchange.scopes().header());
        headers.set(H_CREDENTIAL, exchange.token().clientId());
        headers.set(H_CONSUMER_CUSTOM_ID, exchange.subscription().subscriptionId());
        headers.set(H_CONSUMER_USERNAME, exchange.subscription().applicationId() + "$" + exchange.route().api());
        headers.set(H_PLAN, exchange.plan().planId());
        return null;
    }

    private static int indexOf(CharSequence s, char c) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }
}
