package io.tollgate.ops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.Tokens;
import io.tollgate.cli.TollgateCli;
import io.tollgate.ops.stack.DemoIdentityProvider;
import io.tollgate.ops.stack.StackConfig;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventType;
import io.tollgate.shared.events.LoginFailed;
import io.tollgate.shared.events.PolicyDecision;
import io.tollgate.shared.json.Json;
import io.tollgate.shared.topics.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo HTTP identity provider down, slow and changed under the real stack (HTTP identity provider mode, the
 * stack {@link MissionHttpIdpIT} ran on): logins answer 503 {@code temporarily_unavailable} with Retry-After and
 * count no failure, a policy check that cannot reach the provider decides nothing (no DENY) until it answers again,
 * a user disabled in the provider stops refreshing, and the operator's {@code tollgate families} lists the
 * provider's canonical subject. Every fault is undone after each test. The checks use alice: the mission left bob
 * rate-limited for this minute and erin locked out.
 */
@ExtendWith(SharedStack.class)
@SharedStack.HttpIdp
@Order(SharedStack.IDP_OUTAGE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IdpOutageIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ClientID CLIENT = new ClientID(DemoRegistry.CLIENT_ID);
    /** Longer than the services' request timeout for the provider: every call times out. */
    private static final Duration SLOW = Duration.ofMinutes(5);

    private static StackConfig config;
    private static DemoIdentityProvider idp;

    @BeforeAll
    static void useTheHttpIdpStack() {
        config = SharedStack.config();
        idp = SharedStack.stack().httpIdentityProvider();
    }

    @AfterEach
    void providerBack() throws Exception {
        idp.slow(Duration.ZERO);
        idp.up();
        idp.setDisabled("alice", false);
    }

    private static HTTPResponse tokenRequest(String user, String password) throws Exception {
        return new TokenRequest(URI.create(config.issuer() + "/oauth2/token"), CLIENT,
                new ResourceOwnerPasswordCredentialsGrant(user, new Secret(password))).toHTTPRequest().send();
    }

    private static Tokens loginOk(String user, String password) throws Exception {
        TokenResponse response = TokenResponse.parse(tokenRequest(user, password));
        assertThat(response.indicatesSuccess()).as(user + " logs in: " + (response.indicatesSuccess() ? ""
                : response.toErrorResponse().getErrorObject().toJSONObject())).isTrue();
        return response.toSuccessResponse().getTokens();
    }

    /** A login while the provider cannot answer: 503 temporarily_unavailable with a Retry-After. */
    private static void loginUnavailable(String user, String password) throws Exception {
        HTTPResponse answer = tokenRequest(user, password);
        assertThat(answer.getStatusCode()).as(answer.getBody()).isEqualTo(503);
        assertThat(answer.getHeaderValue("Retry-After")).as("Retry-After").matches("\\d+");
        assertThat(TokenResponse.parse(answer).toErrorResponse().getErrorObject().getCode())
                .isEqualTo("temporarily_unavailable");
    }

    private static int gateway(Tokens tokens) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + config.host + ":" + config.port("gateway")
                        + "/mobile/idp-outage")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + tokens.getAccessToken().getValue()).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String sid(Tokens tokens) throws Exception {
        return SignedJWT.parse(tokens.getAccessToken().getValue()).getJWTClaimsSet().getStringClaim("sid");
    }

    private static List<Event<?>> since(String topic, Instant start) {
        List<Event<?>> events = new ArrayList<>();
        for (Event<?> e : TopicReader.readAll(config.kafkaBootstrap(), topic)) {
            if (!e.time().isBefore(start)) {
                events.add(e);
            }
        }
        return events;
    }

    private static List<PolicyDecision> decisions(String user, Instant start) {
        List<PolicyDecision> found = new ArrayList<>();
        for (Event<?> e : since(Topics.POLICY_DECISIONS.name(), start)) {
            if (e.data() instanceof PolicyDecision d && d.userId().equals(user)) {
                found.add(d);
            }
        }
        return found;
    }

    private static void eventually(Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.call()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(what + " did not happen within 60 s");
    }

    @Test
    @Order(1)
    void loginsDuringAnOutageAre503AndCountNoFailure() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        idp.down();
        // More attempts than the lockout's threshold (5 per user), right and wrong passwords alike: none is a verdict.
        for (int i = 0; i < 4; i++) {
            loginUnavailable("alice", "alice-secret");
            loginUnavailable("alice", "wrong-password");
        }
        idp.up();
        assertThat(gateway(loginOk("alice", "alice-secret"))).as("a correct login at once after the outage").isEqualTo(200);

        idp.slow(SLOW);
        loginUnavailable("alice", "alice-secret");
        loginUnavailable("alice", "wrong-password");
        idp.slow(Duration.ZERO);
        assertThat(gateway(loginOk("alice", "alice-secret"))).as("a correct login at once after the slow spell")
                .isEqualTo(200);

        List<Event<?>> auth = since(Topics.AUTH_EVENTS.name(), start);
        assertThat(auth).as("alice's events since the outage began")
                .filteredOn(e -> "alice".equals(e.subject()))
                .noneMatch(e -> e.eventType() == EventType.LOGIN_LOCKED)
                .noneMatch(e -> e.data() instanceof LoginFailed f && f.reason() == LoginFailed.Reason.INVALID_CREDENTIALS)
                .anyMatch(e -> e.eventType() == EventType.LOGIN_SUCCEEDED);
        assertThat(decisions("alice", start)).as("alice's policy decisions since the outage began")
                .noneMatch(d -> d.outcome() == PolicyDecision.Outcome.DENY);
    }

    /**
     * A login made just before the outage, whose policy check runs during it: profile reads time out (slow), then
     * the provider goes down altogether; no decision is taken, so nothing is denied, until it answers again.
     */
    @Test
    @Order(2)
    void aPolicyCheckDuringTheOutageDeniesNothingAndDecidesWhenTheProviderIsBack() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        idp.slowProfiles(SLOW); // credential checks answer, profile reads (what policy-worker asks) hang
        Tokens alice = loginOk("alice", "alice-secret");
        String family = sid(alice);
        Thread.sleep(4_000); // at least one profile read timed out meanwhile
        idp.down();
        Thread.sleep(4_000); // and some were refused

        assertThat(decisions("alice", start)).as("no decision while the provider cannot answer")
                .noneMatch(d -> family.equals(d.familyId()))
                .noneMatch(d -> d.outcome() == PolicyDecision.Outcome.DENY);
        assertThat(gateway(alice)).as("alice's token while her policy check waits").isEqualTo(200);

        idp.slow(Duration.ZERO);
        idp.up();
        eventually(() -> decisions("alice", start).stream().anyMatch(d -> family.equals(d.familyId())),
                "the decision on alice's login once the provider answers");
        assertThat(decisions("alice", start)).filteredOn(d -> family.equals(d.familyId()))
                .allMatch(d -> d.outcome() == PolicyDecision.Outcome.ALLOW);
        assertThat(gateway(alice)).isEqualTo(200);
    }

    @Test
    @Order(3)
    void familiesListsTheProvidersCanonicalSubject() throws Exception {
        Tokens typed = loginOk("ALICE", "alice-secret"); // the provider names her "alice"
        assertThat(SignedJWT.parse(typed.getAccessToken().getValue()).getJWTClaimsSet().getSubject()).isEqualTo("alice");
        String family = sid(typed);

        List<JsonNode> listed = new ArrayList<>();
        eventually(() -> {
            listed.clear();
            Json.mapper().readTree(cli("families", "alice", "--client", DemoRegistry.CLIENT_ID, "--json"))
                    .forEach(listed::add);
            return listed.stream().anyMatch(f -> family.equals(f.path("familyId").asText()));
        }, "alice's new family in tollgate families alice");
        assertThat(listed).allSatisfy(f -> assertThat(f.path("user").asText()).isEqualTo("alice"));
    }

    @Test
    @Order(4)
    void aUserDisabledInTheProviderStopsRefreshing() throws Exception {
        Tokens alice = loginOk("alice", "alice-secret");
        TokenResponse before = TokenResponse.parse(new TokenRequest(URI.create(config.issuer() + "/oauth2/token"),
                CLIENT, new RefreshTokenGrant(alice.getRefreshToken())).toHTTPRequest().send());
        assertThat(before.indicatesSuccess()).as("a refresh while she is enabled").isTrue();
        Tokens current = before.toSuccessResponse().getTokens();

        assertThat(idp.setDisabled("alice", true)).isTrue();
        TokenResponse after = TokenResponse.parse(new TokenRequest(URI.create(config.issuer() + "/oauth2/token"),
                CLIENT, new RefreshTokenGrant(current.getRefreshToken())).toHTTPRequest().send());
        assertThat(after.indicatesSuccess()).as("a refresh once disabled").isFalse();
        assertThat(after.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_grant");
    }

    private static String cli(String... args) {
        Map<String, String> env = new HashMap<>(config.serviceEnvironment());
        env.put("TOLLGATE_OPERATOR_PASSWORD", "ops-secret");
        CommandLine cmd = TollgateCli.commandLine(env, null);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        assertThat(code).as(String.join(" ", args) + ": " + err).isZero();
        return out.toString();
    }
}
