package io.tollgate.tokenapi.it;

import io.dropwizard.testing.ConfigOverride;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.LoginFailed;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.shared.topics.Topics;
import io.tollgate.tokenapi.TokenApiTestStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.time.Duration;
import java.util.List;

import static io.tollgate.tokenapi.it.Http.params;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * token-api behind a load balancer: the test client (127.0.0.1) is the configured trusted proxy, and each request
 * names its client in {@code X-Forwarded-For}. The lockout counts the clients, not the proxy.
 */
class TrustedProxyIT {
    static final String PROXY = "127.0.0.1";
    static final String GUESSER = "198.51.100.1";
    static final String OTHER = "198.51.100.3";

    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("trusted-proxy-it")
            .config(ConfigOverride.config("clientAddress.trustedProxies", PROXY))
            .cleanRedisBeforeEach().build();

    static final Http HTTP = new Http(STACK.baseUrl());

    static Http.Answer login(String user, String password, String forwardedFor) {
        return HTTP.postForm("/oauth2/token", params("grant_type", "password", "client_id", DemoRegistry.CLIENT_ID,
                "username", user, "password", password), "X-Forwarded-For", forwardedFor);
    }

    @Test
    void tenWrongPasswordsFromOneClientBehindTheProxyLockThatClientOnly() {
        // ten names, so that no user's own counter (lockout.userFailures 5) is what locks
        for (int i = 0; i < 10; i++) {
            assertThat(login("guess-" + i, "wrong-password-" + i, GUESSER).text("error")).isEqualTo("invalid_grant");
        }
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(jedis.exists(RedisKeys.ipLock(GUESSER))).isTrue();
            assertThat(jedis.exists(RedisKeys.ipFailures(PROXY), RedisKeys.ipLock(PROXY))).isZero();
            assertThat(jedis.exists(RedisKeys.ipFailures(OTHER))).isFalse();
        }
        // the guesser is locked out, even with alice's right password
        Http.Answer guesser = login("alice", "alice-secret", GUESSER);
        assertThat(guesser.status()).isEqualTo(400);
        assertThat(guesser.response().body()).doesNotContain("access_token");
        // prepending another address changes nothing: the proxy appended what it saw, the right-most untrusted hop
        assertThat(login("alice", "alice-secret", OTHER + ", " + GUESSER).status()).isEqualTo(400);
        // another client behind the same proxy logs in
        Http.Answer other = login("alice", "alice-secret", OTHER);
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.text("access_token")).isNotBlank();

        // the audit events name the client, not the proxy
        List<ConsumerRecord<String, Event<?>>> events = STACK.kafka().readUntil(Topics.AUTH_EVENTS,
                rs -> rs.stream().filter(r -> r.value().data() instanceof LoginFailed f
                        && f.userId().startsWith("guess-")).count() >= 10, Duration.ofSeconds(30));
        assertThat(events.stream().map(r -> r.value().data()).filter(d -> d instanceof LoginFailed f
                && f.userId().startsWith("guess-")).map(d -> ((LoginFailed) d).ip()).distinct().toList())
                .containsExactly(GUESSER);
    }

    @Test
    void withoutAForwardedHeaderTheProxyItselfIsTheClient() {
        for (int i = 0; i < 3; i++) {
            assertThat(HTTP.postForm("/oauth2/token", params("grant_type", "password", "client_id",
                    DemoRegistry.CLIENT_ID, "username", "proxy-guess-" + i, "password", "wrong")).status()).isEqualTo(400);
        }
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(jedis.get(RedisKeys.ipFailures(PROXY))).isEqualTo("3");
        }
    }
}
