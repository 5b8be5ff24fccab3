package io.tollgate.tokenapi.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventData;
import io.tollgate.shared.events.LoginFailed;
import io.tollgate.shared.events.OperatorAction;
import io.tollgate.shared.events.TokenRevoked;
import io.tollgate.shared.events.UserBlockRecord;
import io.tollgate.shared.topics.Topic;
import io.tollgate.shared.topics.Topics;
import io.tollgate.tokenapi.OperatorHttp;
import io.tollgate.tokenapi.TokenApiTestStack;
import io.tollgate.tokenapi.core.GrantFailures;
import io.tollgate.tokenapi.core.PasswordLogin;
import io.tollgate.tokenapi.core.Pkce;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.tollgate.tokenapi.it.Http.params;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operator blocks against real Kafka, Redis and LDAP: {@code POST/DELETE /admin/users/{user}/block} and {@code GET
 * /admin/users/blocked}, a blocked user refused on the password, refresh_token and authorization_code grants and on
 * the hosted login page, the block's revocation, the audit events, and the user back after the unblock. Its own
 * broker: a block is a registry record, and the other ITs' users must not meet it.
 */
class UserBlocksIT {
    static final String CALLBACK = "http://127.0.0.1/callback";
    static final Pattern REQUEST_ID = Pattern.compile("name=\"request\" value=\"([^\"]+)\"");
    static final SecureRandom RANDOM = new SecureRandom();

    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("user-blocks-it").dedicatedKafka(1).build();

    static final OperatorHttp OPERATOR = new OperatorHttp(STACK.baseUrl());
    static Http http;

    @BeforeAll
    static void client() {
        http = new Http(STACK.baseUrl());
    }

    static Http.Answer password(String user, String password) {
        return http.postForm("/oauth2/token", params("grant_type", "password", "client_id", DemoRegistry.CLIENT_ID,
                "username", user, "password", password));
    }

    static Http.Answer refresh(String refreshToken) {
        return http.postForm("/oauth2/token", params("grant_type", "refresh_token", "client_id",
                DemoRegistry.CLIENT_ID, "refresh_token", refreshToken));
    }

    static String verifier() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The hosted login page's pending request id for a new authorization request. */
    static String loginPage(String verifier) {
        Http.Answer page = http.get("/oauth2/authorize?response_type=code&client_id=" + q(DemoRegistry.CLIENT_ID)
                + "&redirect_uri=" + q(CALLBACK) + "&code_challenge=" + q(Pkce.challenge(verifier))
                + "&code_challenge_method=S256&state=st");
        assertThat(page.status()).as(page.response().body()).isEqualTo(200);
        Matcher m = REQUEST_ID.matcher(page.response().body());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    static Http.Answer submit(String requestId, String user, String password) {
        return http.postForm("/oauth2/authorize", params("request", requestId, "username", user, "password",
                password));
    }

    /** An authorization code for {@code user}, through the hosted login page. */
    static String code(String user, String password, String verifier) {
        Http.Answer back = submit(loginPage(verifier), user, password);
        assertThat(back.status()).as(back.response().body()).isEqualTo(303);
        String location = back.header("Location");
        assertThat(location).startsWith(CALLBACK + "?");
        for (String pair : location.substring(CALLBACK.length() + 1).split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv[0].equals("code")) {
                return URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no code in " + location);
    }

    static Http.Answer exchange(String code, String verifier) {
        return http.postForm("/oauth2/token", params("grant_type", "authorization_code", "client_id",
                DemoRegistry.CLIENT_ID, "code", code, "redirect_uri", CALLBACK, "code_verifier", verifier));
    }

    static void assertRefused(Http.Answer answer) {
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(400);
        assertThat(answer.text("error")).isEqualTo("invalid_grant");
        assertThat(answer.text("error_description")).isEqualTo(GrantFailures.ACCOUNT_REFUSED);
        assertThat(answer.json().has("access_token")).isFalse();
        assertThat(answer.json().has("refresh_token")).isFalse();
    }

    static <T extends EventData> List<T> events(Topic<String, Event<?>> topic, Class<T> type, Predicate<T> match,
                                                int expected) {
        Predicate<ConsumerRecord<String, Event<?>>> matching = r -> r.value() != null
                && type.isInstance(r.value().data()) && match.test(type.cast(r.value().data()));
        return STACK.kafka().readUntil(topic, rs -> rs.stream().filter(matching).count() >= expected,
                Duration.ofSeconds(20)).stream().filter(matching).map(r -> type.cast(r.value().data())).toList();
    }

    @Test
    void aBlockedUserIsRefusedOnEveryGrantUntilUnblocked() {
        // before the block: a live refresh family and an authorization code not yet exchanged
        Http.Answer before = password("alice", "alice-secret");
        assertThat(before.status()).as(before.response().body()).isEqualTo(200);
        String refreshToken = before.text("refresh_token");
        String codeVerifier = verifier();
        String code = code("alice", "alice-secret", codeVerifier);

        // the operator blocks "ALICE": the provider's canonical id alice is blocked
        assertThat(OPERATOR.send("POST", "/admin/users/ALICE/block", "{\"reason\":\"fraud\"}", "wrong")
                .status()).isEqualTo(401);
        OperatorHttp.Answer blocked = OPERATOR.send("POST", "/admin/users/ALICE/block", "{\"reason\":\"fraud\"}",
                "ops-secret");
        assertThat(blocked.status()).as(String.valueOf(blocked.json())).isEqualTo(200);
        assertThat(blocked.text("user")).isEqualTo("alice");
        assertThat(blocked.text("reason")).isEqualTo("fraud");
        assertThat(blocked.text("operator")).isEqualTo("ops");
        assertThat(blocked.text("blockedAt")).isNotNull();

        OperatorHttp.Answer list = OPERATOR.send("GET", "/admin/users/blocked", null, "ops-secret");
        assertThat(list.status()).isEqualTo(200);
        JsonNode entries = list.json().get("blocked");
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).get("user").asText()).isEqualTo("alice");
        assertThat(entries.get(0).get("reason").asText()).isEqualTo("fraud");
        assertThat(entries.get(0).get("operator").asText()).isEqualTo("ops");

        // password: a right password is refused with a policy denial's words; a wrong one still says only that
        assertRefused(password("alice", "alice-secret"));
        Http.Answer wrong = password("alice", "not-her-password");
        assertThat(wrong.text("error_description")).isEqualTo(PasswordLogin.BAD_CREDENTIALS);
        // refresh of the family from before the block: refused, no new tokens
        Http.Answer refreshed = refresh(refreshToken);
        assertThat(refreshed.status()).as(refreshed.response().body()).isEqualTo(400);
        assertThat(refreshed.text("error")).isEqualTo("invalid_grant");
        assertThat(refreshed.json().has("access_token")).isFalse();
        // the code issued before the block cannot be exchanged
        assertRefused(exchange(code, codeVerifier));
        // the hosted login page says the account cannot sign in, and sends nothing back to the application
        String pending = loginPage(verifier());
        Http.Answer page = submit(pending, "alice", "alice-secret");
        assertThat(page.status()).isEqualTo(403);
        assertThat(page.header("Location")).isNull();
        assertThat(page.response().body()).contains("This account cannot sign in.");
        // ... and the same request still works for another user
        assertThat(submit(pending, "bob", "bob-secret").status()).isEqualTo(303);
        // other users are not affected
        assertThat(password("bob", "bob-secret").status()).isEqualTo(200);

        List<LoginFailed> refusals = events(Topics.AUTH_EVENTS, LoginFailed.class,
                f -> f.userId().equals("alice") && f.reason() == LoginFailed.Reason.BLOCKED, 3);
        assertThat(refusals).extracting(LoginFailed::grantType)
                .contains("password", "refresh_token", "authorization_code");
        // the block revoked every token alice had
        assertThat(events(Topics.AUTH_EVENTS, TokenRevoked.class, r -> "alice".equals(r.userId()), 1)).isNotEmpty();

        // unblock: as typed in another case, lifted once, then 404
        OperatorHttp.Answer lifted = OPERATOR.send("DELETE", "/admin/users/Alice/block", null, "ops-secret");
        assertThat(lifted.status()).as(String.valueOf(lifted.json())).isEqualTo(200);
        assertThat(lifted.text("user")).isEqualTo("alice");
        OperatorHttp.Answer again = OPERATOR.send("DELETE", "/admin/users/alice/block", null, "ops-secret");
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.text("error")).isEqualTo("not_found");
        assertThat(OPERATOR.send("GET", "/admin/users/blocked", null, "ops-secret").json().get("blocked")).isEmpty();
        Http.Answer after = password("alice", "alice-secret");
        assertThat(after.status()).as(after.response().body()).isEqualTo(200);

        List<OperatorAction> actions = events(Topics.AUTH_EVENTS, OperatorAction.class,
                a -> "alice".equals(a.target()), 2);
        assertThat(actions).extracting(OperatorAction::action)
                .containsExactly(OperatorAction.Action.USER_BLOCKED, OperatorAction.Action.USER_UNBLOCKED);
        assertThat(actions).allSatisfy(a -> {
            assertThat(a.operator()).isEqualTo("ops");
            assertThat(a.userId()).isEqualTo("alice");
        });
        assertThat(actions.get(0).reason()).isEqualTo("fraud");
        // the block itself is a registry record, and the unblock its tombstone
        List<ConsumerRecord<String, Event<?>>> registry = STACK.kafka().readUntil(Topics.REGISTRY,
                rs -> rs.stream().anyMatch(r -> r.key().equals(UserBlockRecord.key("alice")) && r.value() == null),
                Duration.ofSeconds(20));
        assertThat(registry).filteredOn(r -> r.key().equals(UserBlockRecord.key("alice"))).hasSize(2);
    }

    @Test
    void blockRequestsAreCheckedBeforeAnythingChanges() {
        OperatorHttp.Answer notJson = OPERATOR.send("POST", "/admin/users/bob/block", null, "ops-secret");
        assertThat(notJson.status()).isEqualTo(415);
        OperatorHttp.Answer badReason = OPERATOR.send("POST", "/admin/users/bob/block", "{\"reason\":42}",
                "ops-secret");
        assertThat(badReason.status()).isEqualTo(400);
        assertThat(badReason.text("error")).isEqualTo("invalid_request");
        OperatorHttp.Answer notBlocked = OPERATOR.send("DELETE", "/admin/users/nobody-here/block", null, "ops-secret");
        assertThat(notBlocked.status()).isEqualTo(404);
        assertThat(OPERATOR.send("GET", "/admin/users/blocked", null, "wrong").status()).isEqualTo(401);
        assertThat(password("bob", "bob-secret").status()).isEqualTo(200);
    }
}
