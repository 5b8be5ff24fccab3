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

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operator HTTP Basic on the portal's {@code /portal/api/admin} counts wrong passwords against the client address in
 * token-api's brute-force guard, exactly as {@code /admin} does: once the address is locked no password is hashed
 * for it (not even the right one, unless it verified before the lock) and both APIs refuse it with the same 401.
 * Its own app, since the lock covers every Basic and grant check from 127.0.0.1.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalOperatorLockoutIT {
    static final String IP = "127.0.0.1";

    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("lockout-it").build();

    static final OperatorHttp OPERATOR = new OperatorHttp(STACK.baseUrl());

    static long ipFailures() {
        try (Jedis jedis = STACK.redis().jedis()) {
            String value = jedis.get(RedisKeys.ipFailures(IP));
            return value == null ? 0 : Long.parseLong(value);
        }
    }

    static boolean ipLocked() {
        try (Jedis jedis = STACK.redis().jedis()) {
            return jedis.exists(RedisKeys.ipLock(IP));
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
        int threshold = STACK.app().getConfiguration().getLockout().getIpFailures();
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

        // ... and without hashing: a hashed wrong password is always counted, these are not
        for (int i = 0; i < 5; i++) {
            assertThat(portalList("more-" + i).status()).isEqualTo(401);
            assertThat(portalApprove("more-" + i).status()).isEqualTo(401);
        }
        assertThat(ipFailures()).isEqualTo(threshold);
    }

    @Test
    @Order(2)
    void anOperatorWhosePasswordVerifiedBeforeTheLockIsNotLockedOut() {
        STACK.resetRedis();
        assertThat(portalList("ops-secret").status()).isEqualTo(200);
        int threshold = STACK.app().getConfiguration().getLockout().getIpFailures();
        for (int i = 0; i < threshold; i++) {
            assertThat(portalList("guess-" + i).status()).isEqualTo(401);
        }
        assertThat(ipLocked()).isTrue();
        assertThat(portalList("ops-secret").status()).isEqualTo(200);
        assertThat(adminRevoke("ops-secret").status()).isEqualTo(204);
    }
}
