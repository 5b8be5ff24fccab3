package io.tollgate.gateway.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Judges one input: what each proxy did with it, and every way the gateway's handling breaks the contract.
 * <ul>
 * <li>it forwards at most the client's own requests (the {@link Reading}), each parsing strictly as exactly
 * that request: method, path, body bytes;</li>
 * <li>each carries the six identity headers once, with the token's values, no other header of an identity
 * family (any case, {@code _} for {@code -}, in the head or the trailers), no {@code Connection} option that
 * would make the backend drop one, and no client-forged {@code X-Forwarded-*}/{@code Forwarded} value;</li>
 * <li>where nginx refuses (a 4xx or its 501, or closes without forwarding), the gateway refuses too, unless the
 * reviewed {@link #ALLOWED} list says why forwarding is safe;</li>
 * <li>its own answers are never 5xx, and every 4xx is JSON.</li>
 * </ul>
 */
final class DifferentialOracle {
    /** {@code CLOSED}: the proxy closed without an answer; {@code WAITING}: no answer, connection still open. */
    enum Outcome { FORWARDED, REFUSED_4XX, CLOSED, WAITING, ANSWERED_5XX, OTHER }

    /** The token's identity, as the gateway must state it. */
    record Identity(String user, String scope) {
    }

    record Verdict(Outcome gateway, Outcome nginx, List<String> violations) {
    }

    private static final String OWS_REASON = "a tab around a field value is OWS (RFC 9110 §5.5), not part of it: "
            + "the value is exactly 'chunked' / '5', every reading agrees, and the oracle still checks that what the "
            + "gateway forwards is exactly that request; nginx 1.22 compares the raw value and refuses";
    private static final String SIZE_REASON = "nginx refuses by its size policy (client_max_body_size, 1 MB by "
            + "default: 413), not for ambiguity; 4294967301 is one unambiguous length (no 32-bit wrap to 5 is "
            + "possible in the reading the oracle checks) and the gateway streams the body under its own framing";

    /**
     * Inputs (by class and label) that nginx refuses and the gateway may forward, each with its reason. An
     * entry is added only after review: the reason must say why the gateway's forwarding is exactly the
     * client's request and cannot be read two ways.
     */
    static final Map<String, String> ALLOWED = Map.of(
            "TE.TE tab/alone", OWS_REASON,
            "TE.TE trailing-tab/alone", OWS_REASON,
            "Content-Length tab-value/exact", OWS_REASON,
            "Content-Length tab-value/then-smuggle", OWS_REASON,
            "Content-Length 2^32+5/exact", SIZE_REASON,
            "Content-Length 2^32+5/then-smuggle", SIZE_REASON);

    private static final List<String> FAMILIES = List.of("x-authenticated-", "x-consumer-", "x-credential-",
            "x-anonymous-");
    private static final Set<String> FORWARDING = Set.of("x-forwarded-for", "x-forwarded-host", "x-forwarded-proto",
            "x-forwarded-port", "forwarded");
    private static final List<String> FORGED_MARKERS = List.of("203.0.113.66", "forged.example", "6666", "2001:db8::66");
    private static final Set<String> HOP_BY_HOP = Set.of("keep-alive", "proxy-connection", "te", "trailer", "upgrade",
            "proxy-authorization", "proxy-authenticate");
    private static final Set<String> PROTECTED = Set.of("content-length", "transfer-encoding", "host", "authorization",
            "x-authenticated-userid", "x-authenticated-scope", "x-credential-identifier", "x-consumer-custom-id",
            "x-consumer-username", "x-apiplan", "x-request-id", "x-forwarded-for", "x-forwarded-host",
            "x-forwarded-proto", "x-forwarded-port", "forwarded");

    private final Map<String, Identity> identities;

    DifferentialOracle(Map<String, Identity> identities) {
        this.identities = identities;
    }

    static Outcome outcome(RawExchange.Answer answer, List<UpstreamRecord.Forwarded> forwarded) {
        if (!forwarded.isEmpty()) {
            return Outcome.FORWARDED;
        }
        RawExchange.Response first = answer.first();
        if (first == null) {
            return answer.closedByPeer() ? Outcome.CLOSED : Outcome.WAITING;
        }
        if (first.status() >= 400 && first.status() < 500) {
            return Outcome.REFUSED_4XX;
        }
        return first.status() >= 500 ? Outcome.ANSWERED_5XX : Outcome.OTHER;
    }

    Verdict judge(SmugglingCorpus.Case c, Reading reading, RawExchange.Answer gatewayAnswer,
                  List<UpstreamRecord.Forwarded> gatewayForwarded, RawExchange.Answer nginxAnswer,
                  List<UpstreamRecord.Forwarded> nginxForwarded) {
        Outcome gateway = outcome(gatewayAnswer, gatewayForwarded);
        Outcome nginx = outcome(nginxAnswer, nginxForwarded);
        List<String> v = new ArrayList<>();

        boolean[] used = new boolean[reading.requests().size()];
        for (int i = 0; i < gatewayForwarded.size(); i++) {
            UpstreamRecord.Forwarded f = gatewayForwarded.get(i);
            if (f.strict() == null && reading.end() == Reading.End.INCOMPLETE && i == gatewayForwarded.size() - 1
                    && f.strictError().equals("an incomplete request")) {
                continue; // a streaming proxy passes on the start of a request the client has not finished
            }
            if (f.strict() == null) {
                v.add("forwarded bytes that do not parse strictly (" + f.strictError() + "): " + Http1Parser.show(f.raw()));
            }
            Http1Parser.Request r = f.best();
            if (r == null) {
                continue;
            }
            Http1Parser.Request client = match(reading, used, r);
            if (client == null) {
                v.add("forwarded " + r.method() + " " + r.target() + ", which is not one of the client's "
                        + reading.requests().size() + " request(s)" + (reading.end() == Reading.End.CLEAN ? ""
                        : " (then " + reading.end() + ": " + reading.reason() + ")"));
                continue;
            }
            if (!r.method().equals(client.method())) {
                v.add("forwarded method " + r.method() + " for the client's " + client.method());
            }
            if (!Arrays.equals(r.body(), client.body())) {
                v.add("forwarded a body of " + r.body().length + " bytes for the client's " + client.body().length
                        + " (" + Http1Parser.show(new String(r.body(), java.nio.charset.StandardCharsets.ISO_8859_1)) + ")");
            }
            identity(r, client, v);
        }
        // nginx's own 5xx without forwarding is a refusal too: 501 for a Transfer-Encoding it does not know
        if (nginx != Outcome.FORWARDED && nginx != Outcome.WAITING && gateway == Outcome.FORWARDED) {
            String key = c.kind() + " " + c.label();
            if (!ALLOWED.containsKey(key)) {
                v.add("nginx " + (nginxAnswer.first() == null ? "closed without forwarding"
                        : "refused " + nginxAnswer.first().status()) + ", the gateway forwarded");
            }
        }
        for (RawExchange.Response response : gatewayAnswer.responses()) {
            if (response.status() >= 500) {
                v.add("answered " + response.status() + " " + abbreviate(response.body())
                        + (reading.end() == Reading.End.INCOMPLETE ? " while the client's request was unfinished" : ""));
            } else if (response.status() >= 400 && (!response.contentType().contains("json")
                    || !response.body().trim().startsWith("{"))) {
                v.add("answered " + response.status() + " without a JSON body");
            }
        }
        if (gateway == Outcome.WAITING && (reading.end() == Reading.End.CLEAN || reading.end() == Reading.End.CLOSED)) {
            v.add("no answer to complete request(s) within the idle timeout");
        }
        if (gateway == Outcome.OTHER) {
            v.add("answered " + gatewayAnswer.first().status() + " without forwarding");
        }
        if (gateway == Outcome.CLOSED && reading.end() == Reading.End.INVALID && reading.requests().isEmpty()) {
            // closed by the gateway itself; a proxy still waiting (for a line end, say) is not judged here
            v.add("closed without an answer where a 400 is due (" + reading.reason() + ")");
        }
        return new Verdict(gateway, nginx, v);
    }

    /** The client's request with the forwarded one's path, not matched before. */
    private static Http1Parser.Request match(Reading reading, boolean[] used, Http1Parser.Request forwarded) {
        for (int i = 0; i < reading.requests().size(); i++) {
            Http1Parser.Request client = reading.requests().get(i);
            if (!used[i] && client.originForm().equals(forwarded.target())) {
                used[i] = true;
                return client;
            }
        }
        return null;
    }

    private void identity(Http1Parser.Request forwarded, Http1Parser.Request client, List<String> v) {
        Identity expected = token(client);
        if (expected == null) {
            v.add("forwarded " + forwarded.target() + " although the client's request has no valid token");
            return;
        }
        Map<String, String> own = Map.of("x-authenticated-userid", expected.user(), "x-authenticated-scope",
                expected.scope(), "x-credential-identifier", "demo-mobile", "x-consumer-custom-id",
                "sub-demo-mobile-app-mobile", "x-consumer-username", "demo-mobile-app$mobile", "x-apiplan", "basic");
        for (var e : own.entrySet()) {
            List<String> values = forwarded.headers().stream().filter(f -> f.lowerName().equals(e.getKey()))
                    .map(Http1Parser.Field::value).toList();
            if (!values.equals(List.of(e.getValue()))) {
                v.add(e.getKey() + " is " + values + ", not [" + e.getValue() + "]");
            }
        }
        for (Http1Parser.Field f : forwarded.headers()) {
            String n = normalised(f.name());
            if (inFamily(n) && !(own.containsKey(f.lowerName()))) {
                v.add("forwarded the client's " + f.name() + ": " + Http1Parser.show(f.value()));
            }
            if (FORWARDING.contains(n) && forged(f)) {
                v.add("forwarded the client's " + f.name() + ": " + Http1Parser.show(f.value()));
            }
        }
        for (Http1Parser.Field f : forwarded.trailers()) {
            String n = normalised(f.name());
            if (inFamily(n) || FORWARDING.contains(n) || PROTECTED.contains(n)) {
                v.add("forwarded a trailer " + f.name() + ": " + Http1Parser.show(f.value()));
            }
        }
        // RFC 9110 §7.6.1: the client's hop-by-hop fields, and those its Connection names, end at the gateway
        for (String option : client.connectionOptions()) {
            if (!option.equals("close") && !option.equals("keep-alive") && !forwarded.values(option).isEmpty()
                    && !own.containsKey(option) && !option.equals("x-request-id")) {
                v.add("forwarded " + option + ", which the client's Connection names");
            }
        }
        for (Http1Parser.Field f : forwarded.headers()) {
            if (HOP_BY_HOP.contains(f.lowerName())) {
                v.add("forwarded the hop-by-hop " + f.name() + ": " + Http1Parser.show(f.value()));
            }
        }
        for (String option : forwarded.connectionOptions()) {
            if (PROTECTED.contains(option) || inFamily(normalised(option))) {
                v.add("forwarded Connection: " + option + " (the backend drops that field)");
            }
        }
    }

    private Identity token(Http1Parser.Request client) {
        List<String> auth = client.values("authorization");
        if (auth.size() != 1 || !auth.get(0).startsWith("Bearer ")) {
            return null;
        }
        return identities.get(auth.get(0).substring("Bearer ".length()));
    }

    private static boolean forged(Http1Parser.Field f) {
        String value = f.value().toLowerCase(Locale.ROOT);
        if (normalised(f.name()).equals("x-forwarded-proto") && value.contains("https")) {
            return true;
        }
        return FORGED_MARKERS.stream().anyMatch(value::contains);
    }

    private static String normalised(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static boolean inFamily(String normalisedName) {
        return normalisedName.equals("x-apiplan") || FAMILIES.stream().anyMatch(normalisedName::startsWith);
    }

    static String abbreviate(String s) {
        String one = s.replace("\r", "\\r").replace("\n", "\\n");
        return one.length() > 120 ? one.substring(0, 120) + "..." : one;
    }
}
