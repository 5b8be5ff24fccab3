package io.tollgate.gateway;

import io.tollgate.gateway.testing.GatewayFixture;
import io.tollgate.gateway.testing.Gateways;
import io.tollgate.gateway.testing.RecordingUpstream;
import io.tollgate.shared.events.ApiCall;
import io.tollgate.shared.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tollgate.gateway.testing.Gateways.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * W3C Trace Context through a real gateway: the recording upstream sees the client's {@code traceparent} and
 * {@code tracestate}, or a new valid {@code traceparent} (and no {@code tracestate}) when the client's is missing or
 * invalid; the {@code api.call} event on the real broker carries the trace id the upstream saw.
 */
class TraceContextIT {
    @RegisterExtension
    static final GatewayFixture FIXTURE = GatewayFixture.nodes("trace-1");

    private static final String CLIENT_TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final String CLIENT_STATE = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7";
    private static final String VALID = "00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-01";
    private static final AtomicInteger USERS = new AtomicInteger();

    private static String user() {
        return "trace-user-" + USERS.incrementAndGet() + "-" + System.nanoTime() % 100_000;
    }

    /** The api.call events of {@code user}'s calls, once there are {@code n}. */
    private static List<ApiCall> calls(String user, int n) {
        String key = "demo-mobile|" + user;
        return FIXTURE.kafka().readUntil(Topics.CALLS, rs -> rs.stream().filter(r -> r.key().equals(key)).count() >= n,
                        Duration.ofSeconds(30)).stream().filter(r -> r.key().equals(key))
                .map(r -> r.value().dataAs(ApiCall.class)).toList();
    }

    @Test
    void aValidClientTraceparentAndItsTracestateReachTheBackendAndTheEvent() throws Exception {
        String user = user();
        HttpResponse<String> response = get(FIXTURE.node(), "/mobile/traced", FIXTURE.issuer().token(user, "read"),
                "traceparent", CLIENT_TRACE, "tracestate", CLIENT_STATE);

        assertThat(response.statusCode()).isEqualTo(200);
        RecordingUpstream.Received received = FIXTURE.upstream().last();
        assertThat(received.headers().get("traceparent")).containsExactly(CLIENT_TRACE);
        assertThat(received.headers().get("tracestate")).containsExactly(CLIENT_STATE);
        assertThat(calls(user, 1)).singleElement().extracting(ApiCall::traceId)
                .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void withoutATraceparentTheGatewayStartsATraceAndTheEventCarriesIt() throws Exception {
        String user = user();
        assertThat(get(FIXTURE.node(), "/mobile/untraced", FIXTURE.issuer().token(user, "read"), "tracestate",
                CLIENT_STATE)
                .statusCode()).isEqualTo(200);

        RecordingUpstream.Received received = FIXTURE.upstream().last();
        String made = received.header("traceparent");
        assertThat(made).matches(VALID);
        assertThat(received.headers()).doesNotContainKey("tracestate"); // a new trace has no vendor state yet
        assertThat(calls(user, 1)).singleElement().extracting(ApiCall::traceId).isEqualTo(made.substring(3, 35));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
        "garbage"})
    void anInvalidTraceparentIsReplacedNotForwarded(String invalid) throws Exception {
        String user = user();
        assertThat(get(FIXTURE.node(), "/mobile/bad-trace", FIXTURE.issuer().token(user, "read"), "traceparent",
                invalid,
                "tracestate", CLIENT_STATE).statusCode()).isEqualTo(200);

        RecordingUpstream.Received received = FIXTURE.upstream().last();
        assertThat(received.headers().get("traceparent")).hasSize(1);
        String made = received.header("traceparent");
        assertThat(made).matches(VALID).doesNotContain("4bf92f3577b34da6a3ce929d0e0e4736")
                .doesNotContainIgnoringCase("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(received.headers()).doesNotContainKey("tracestate");
        assertThat(calls(user, 1)).singleElement().extracting(ApiCall::traceId).isEqualTo(made.substring(3, 35));
    }

    @Test
    void twoTraceparentHeadersAreInvalidAndAHigherVersionGoesOnAsVersion00() throws Exception {
        assertThat(get(FIXTURE.node(), "/mobile/two", FIXTURE.issuer().token(user(), "read"), "traceparent",
                CLIENT_TRACE,
                "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").statusCode()).isEqualTo(200);
        String made = FIXTURE.upstream().last().header("traceparent");
        assertThat(made).matches(VALID).doesNotContain("4bf92f3577b34da6a3ce929d0e0e4736")
                .doesNotContain("0af7651916cd43dd8448eb211c80319c");

        FIXTURE.upstream().clear();
        assertThat(get(FIXTURE.node(), "/mobile/future", FIXTURE.issuer().token(user(), "read"),
                "traceparent", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future").statusCode())
                .isEqualTo(200);
        assertThat(FIXTURE.upstream().last().headers().get("traceparent")).containsExactly(CLIENT_TRACE);
    }

    @Test
    void aRefusedRequestsEventCarriesTheClientsTraceIdAndNothingReachesTheBackend() throws Exception {
        String user = user();
        // read-only token, DELETE needs write: 403, never proxied
        assertThat(Gateways.send(FIXTURE.node(), "DELETE", "/mobile/x", FIXTURE.issuer().token(user, "read"),
                "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").statusCode()).isEqualTo(403);

        assertThat(FIXTURE.upstream().count()).isZero();
        ApiCall call = calls(user, 1).get(0);
        assertThat(call.outcome()).isEqualTo(ApiCall.Outcome.FORBIDDEN);
        assertThat(call.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    }
}
