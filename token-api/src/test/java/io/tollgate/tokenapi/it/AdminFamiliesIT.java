package io.tollgate.tokenapi.it;

import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.tokenapi.OperatorHttp;
import io.tollgate.tokenapi.OperatorHttp.Answer;
import io.tollgate.tokenapi.TestApps;
import io.tollgate.tokenapi.TokenApiTestStack;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /admin/users/{user}/families}: the operator's list of a user's live refresh-token families, judged by
 * token-api's own rules on hand-made Redis states (the layout revocation-stream's projection writes).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminFamiliesIT {
    static final String IP = "127.0.0.1";

    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("families-it").build();

    static final OperatorHttp OPERATOR = new OperatorHttp(STACK.baseUrl());

    static Answer families(String query, String password) {
        return OPERATOR.send("GET", "/admin/users/" + query, null, password);
    }

    private static void family(Jedis jedis, String sid, String user, String client, Instant created, Instant expires) {
        jedis.hset(RedisKeys.family(sid), Map.of("user", user, "client", client, "generation", "2",
                "hash", "secret-refresh-hash-" + sid, "createdAt", Long.toString(created.toEpochMilli()),
                "expiresAt", Long.toString(expires.getEpochSecond()), "scope", "read", "subscriptionId", "sub-1",
                "planId", "basic"));
        jedis.zadd(RedisKeys.families(user, client), created.toEpochMilli(), sid);
        jedis.sadd(RedisKeys.familyClients(user), client);
    }

    @Test
    @Order(1)
    void onlyLiveFamiliesOldestFirstByTokenApisOwnRevocationRules() throws Exception {
        Instant now = Instant.now();
        Instant later = now.plusSeconds(86_400);
        try (Jedis jedis = STACK.redis().jedis()) {
            family(jedis, "f-live", "alice", "demo-mobile", now.minusSeconds(60), later);
            family(jedis, "f-revoked", "alice", "demo-mobile", now.minusSeconds(50), later);
            jedis.set(RedisKeys.revokedFamily("f-revoked"), Long.toString(now.getEpochSecond()));
            family(jedis, "f-expired", "alice", "demo-mobile", now.minusSeconds(40), now.minusSeconds(1));
            family(jedis, "f-killed", "alice", "other-app", now.minusSeconds(200), later);
            family(jedis, "f-live2", "alice", "other-app", now.minusSeconds(10), later);
            jedis.set(RedisKeys.userClientNotBefore("alice", "other-app"),
                    Long.toString(now.minusSeconds(100).getEpochSecond()));
            family(jedis, "f-client-killed", "alice", "dead-app", now.minusSeconds(20), later);
            jedis.set(RedisKeys.clientNotBefore("dead-app"), Long.toString(now.getEpochSecond()));
            // created in the same second as the user's revocation: revoked (fail closed)
            family(jedis, "f-bob", "bob", "demo-mobile", now.minusSeconds(30), later);
            jedis.set(RedisKeys.userNotBefore("bob"), Long.toString(now.minusSeconds(30).getEpochSecond()));
            // a DENY policy decision revokes every token of the user
            family(jedis, "f-carol", "carol", "demo-mobile", now.minusSeconds(30), later);
            jedis.hset(RedisKeys.decision("carol"), "outcome", "DENY");
        }
        Answer all = families("alice/families", "ops-secret");
        assertThat(all.status()).as(String.valueOf(all.json())).isEqualTo(200);
        assertThat(all.json().get("families").findValuesAsText("familyId")).containsExactly("f-live", "f-live2");
        JsonNode first = all.json().get("families").get(0);
        assertThat(first.get("client").asText()).isEqualTo("demo-mobile");
        assertThat(first.get("generation").asInt()).isEqualTo(2);
        assertThat(Instant.parse(first.get("createdAt").asText()).toEpochMilli())
                .isEqualTo(now.minusSeconds(60).toEpochMilli());
        assertThat(first.get("expiresAt").asText()).isEqualTo(Instant.ofEpochSecond(later.getEpochSecond()).toString());
        assertThat(first.get("planId").asText()).isEqualTo("basic");
        assertThat(all.json().toString()).doesNotContain("secret-refresh-hash").doesNotContain("\"hash\"");

        Answer one = families("alice/families?client_id=other-app", "ops-secret");
        assertThat(one.json().get("families").findValuesAsText("familyId")).containsExactly("f-live2");
        assertThat(families("bob/families", "ops-secret").json().get("families")).isEmpty();
        assertThat(families("carol/families", "ops-secret").json().get("families")).isEmpty();
        assertThat(families("nobody/families", "ops-secret").json().get("families")).isEmpty();
    }

    @Test
    @Order(2)
    void operatorsOnlyBadInputIs400AndAnUnreadyProjectionIs503() {
        Answer wrong = families("alice/families", "not-the-password");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.text("error")).isEqualTo("unauthorized");
        assertThat(wrong.challenge()).isEqualTo("Basic realm=\"tollgate-admin\", charset=\"UTF-8\"");
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(jedis.get(RedisKeys.accountIpFailures(IP))).isEqualTo("1"); // counted in the brute-force guard
        }
        Answer bad = families("alice/families?client_id=%01", "ops-secret");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text("error")).isEqualTo("invalid_request");

        try (Jedis jedis = STACK.redis().jedis()) {
            jedis.hset(RedisKeys.PROJECTION, RedisKeys.PROJECTION_STATE_FIELD, "rebuilding");
        }
        try {
            Answer rebuilding = families("alice/families", "ops-secret");
            assertThat(rebuilding.status()).isEqualTo(503);
            assertThat(rebuilding.text("error")).isEqualTo("temporarily_unavailable");
        } finally {
            TestApps.projectionReady(STACK.redis());
        }
        assertThat(families("alice/families", "ops-secret").status()).isEqualTo(200);
    }
}
