package io.tollgate.tokenapi.portal;

import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.tokenapi.OperatorHttp;
import io.tollgate.tokenapi.OperatorHttp.Answer;
import io.tollgate.tokenapi.TokenApiTestStack;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operator HTTP Basic on the portal's {@code /portal/api/admin} counts wrong passwords against the client address in
 * token-api's brute-force guard, exactly as {@code /admin} does: once the address is locked no password is hashed
 * for it (not even the right one, unless it verified before the lock) and both APIs refuse it with the same 401.
 * The admin port's tasks use the same operators and guard (429 while locked).
 * Its own app, since the lock covers every operator and resource-server Basic check from 127.0.0.1.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalOperatorLockoutIT {
    static final String IP = "127.0.0.1";

    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("lockout-it").build();

    static final OperatorHttp OPERATOR = new OperatorHttp(STACK.baseUrl());

    static long ipFailures() {
        try (Jedis jedis = STACK.redis().jedis()) {
            String value = jedis.get(RedisKeys.accountIpFailures(IP));
            return value == null ? 0 : Long.parseLong(value);
        }
    }

    static boolean ipLocked() {
        try (Jedis jedis = STACK.redis().jedis()) {
            return jedis.exists(RedisKeys.accountIpLock(IP));
        }
    }

    static Answer portalList(String password) {
        return OPERATOR.send("GET", "/portal/api/admin/subscriptions", null, password);
    }

    static Answer portalApprove(String password) {
        return OPERATOR.send("POST", "/portal/api/admin/subscriptions/no-such-subscription/approve", null, password);
    }

    static Answer adminRevoke(String password) {
        return OPERATOR.send("POST", "/admin/users/nobody-locked/revoke", "{\"reason\":\"lockout test\"}", password);
    }

    /** Status, JSON error body and challenge: what a refused operator sees. */
    static List<Object> refusal(Answer a) {
        return List.of(a.status(), a.text("error"), String.valueOf(a.text("error_description")),
                String.valueOf(a.challenge()));
    }

    @Test
    @Order(1)
    void wrongOperatorPasswordsOnThePortalLockTheAddressAsOnAdminAndNothingIsHashedWhileLocked() {
        int threshold = STACK.app().getConfiguration().lockout.ipFailures;
        Answer wrong = null;
        for (int i = 0; i < threshold; i++) {
            wrong = i % 2 == 0 ? portalList("guess-" + i) : portalApprove("guess-" + i);
            assertThat(wrong.status()).isEqualTo(401);
        }
        // each wrong password counted against the address, and the threshold locked it
        assertThat(ipFailures()).isEqualTo(threshold);
        assertThat(ipLocked()).isTrue();

        // locked: the right password (never verified before in this app) is refused on both APIs, the same way
        Answer adminLocked = adminRevoke("ops-secret");
        Answer portalListLocked = portalList("ops-secret");
        Answer portalApproveLocked = portalApprove("ops-secret");
        List<Object> expected = List.of(401, "unauthorized", "operator authentication required",
                "Basic realm=\"tollgate-admin\", charset=\"UTF-8\"");
        assertThat(refusal(adminLocked)).isEqualTo(expected);
        assertThat(refusal(portalListLocked)).isEqualTo(expected);
        assertThat(refusal(portalApproveLocked)).isEqualTo(expected);
        assertThat(refusal(wrong)).isEqualTo(expected);

        // the admin port's tasks take the same operators and the same guard: locked there too (429, no hash)
        HttpResponse<String> task = task("ops-secret");
        assertThat(task.statusCode()).isEqualTo(429);
        assertThat(task.headers().firstValue("Retry-After")).isPresent();
        assertThat(task.body()).contains("\"error\":\"too_many_attempts\"");
        HttpResponse<String> anonymous = task(null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains(expected.get(3).toString());

        // ... and without hashing: a hashed wrong password is always counted, these are not
        for (int i = 0; i < 5; i++) {
            assertThat(portalList("more-" + i).status()).isEqualTo(401);
            assertThat(portalApprove("more-" + i).status()).isEqualTo(401);
            assertThat(task("more-" + i).statusCode()).isEqualTo(429);
        }
        assertThat(ipFailures()).isEqualTo(threshold);
    }

    @Test
    @Order(2)
    void anOperatorWhosePasswordVerifiedBeforeTheLockIsNotLockedOut() {
        STACK.resetRedis();
        assertThat(portalList("ops-secret").status()).isEqualTo(200);
        int threshold = STACK.app().getConfiguration().lockout.ipFailures;
        for (int i = 0; i < threshold; i++) {
            assertThat(portalList("guess-" + i).status()).isEqualTo(401);
        }
        assertThat(ipLocked()).isTrue();
        assertThat(portalList("ops-secret").status()).isEqualTo(200);
        assertThat(adminRevoke("ops-secret").status()).isEqualTo(204);
        assertThat(task("ops-secret").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void aWrongPasswordOnTheAdminPortsTasksCountsInTheSameGuard() {
        STACK.resetRedis();
        HttpResponse<String> wrong = task("guess");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("\"error\":\"unauthorized\"");
        assertThat(ipFailures()).isEqualTo(1);
    }

    /** {@code POST /tasks/gc} on token-api's admin port as operator ops ({@code null}: no credentials). */
    static HttpResponse<String> task(String password) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + STACK.app().getAdminPort()
                + "/tasks/gc")).POST(HttpRequest.BodyPublishers.noBody());
        if (password != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(("ops:" + password).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
