package io.tollgate.tokenapi.it;

import io.dropwizard.testing.ConfigOverride;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.LoginSucceeded;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.testkit.HttpIdentityProviderServer;
import io.tollgate.shared.topics.Topics;
import io.tollgate.tokenapi.TokenApiTestStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.time.Duration;

import static io.tollgate.tokenapi.it.Http.params;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * token-api booted from {@code config/http-idp.yml} against shared's {@link HttpIdentityProviderServer} playing the
 * customer's HTTP identity provider, profile endpoint included: a refresh re-reads the profile, so a user disabled
 * in or removed from the provider after login is refused (invalid_grant), as a disabled profile is at login; a
 * provider that cannot answer is 503 temporarily_unavailable and never a lockout count.
 */
class HttpIdentityProviderIT {
    @RegisterExtension
    @Order(1)
    static final HttpIdentityProviderServer IDP = new HttpIdentityProviderServer();

    @RegisterExtension
    @Order(2)
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("http-idp-it").withoutLdap()
            .configFile("config/http-idp.yml")
            .config(ConfigOverride.config("identityProvider.url", IDP::checkUrl),
                    ConfigOverride.config("identityProvider.profileUrl", IDP::profileUrl),
                    ConfigOverride.config("identityProvider.requestTimeout", "2s"),
                    ConfigOverride.config("identityProvider.retries", "1"))
            .cleanRedisBeforeEach()
            .build();

    static final Http HTTP = new Http(STACK.baseUrl());

    @AfterEach
    void providerBack() {
        IDP.start();
        IDP.recover();
        IDP.demoUsers();
    }

    static Http.Answer login(String user, String password) {
        return HTTP.postForm("/oauth2/token", params("grant_type", "password", "client_id", DemoRegistry.CLIENT_ID,
                "username", user, "password", password));
    }

    static Http.Answer refresh(String token) {
        return HTTP.postForm("/oauth2/token", params("grant_type", "refresh_token",
                "client_id", DemoRegistry.CLIENT_ID, "refresh_token", token));
    }

    @Test
    void aUserDisabledInTheProviderAfterLoginIsRefusedOnRefreshAndAtLogin() {
        Http.Answer login = login("alice", "alice-secret");
        assertThat(login.status()).isEqualTo(200);
        int reads = IDP.profileReads();
        Http.Answer refreshed = refresh(login.text("refresh_token"));
        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(IDP.profileReads()).as("the refresh read the profile").isEqualTo(reads + 1);

        IDP.disable("alice");
        Http.Answer refused = refresh(refreshed.text("refresh_token"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text("error")).isEqualTo("invalid_grant");
        assertThat(refused.text("access_token")).isNull();

        Http.Answer again = login("alice", "alice-secret");
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.text("error")).isEqualTo("invalid_grant");
    }

    @Test
    void aUserRemovedFromTheProviderIsRefusedOnRefresh() {
        Http.Answer login = login("bob", "bob-secret");
        assertThat(login.status()).isEqualTo(200);
        IDP.remove("bob");
        Http.Answer refused = refresh(login.text("refresh_token"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text("error")).isEqualTo("invalid_grant");
    }

    /** The id the provider answers is what token-api stores and emits, and what a refresh looks up. */
    @Test
    void theProvidersSubjectIsStoredEmittedAndLookedUp() {
        IDP.put(new HttpIdentityProviderServer.User("u-1001", "erin-secret", java.util.List.of("mobile-users"),
                false, HttpIdentityProviderServer.VALID_LICENSE));
        IDP.answer(200, "{\"sub\":\"u-1001\",\"groups\":[\"mobile-users\"]}"); // the check names erin u-1001
        Http.Answer login = login("erin@example.test", "erin-secret");
        IDP.recover();
        assertThat(login.status()).isEqualTo(200);
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(jedis.zcard(RedisKeys.families("u-1001", DemoRegistry.CLIENT_ID))).isEqualTo(1);
        }
        assertThat(STACK.kafka().readUntil(Topics.AUTH_EVENTS, rs -> rs.stream()
                .anyMatch(r -> r.value().data() instanceof LoginSucceeded s && s.userId().equals("u-1001")),
                Duration.ofSeconds(30))).isNotEmpty();
        assertThat(refresh(login.text("refresh_token")).status()).as("the profile of u-1001 is read").isEqualTo(200);
        IDP.remove("u-1001");
        assertThat(refresh(login.text("refresh_token")).text("error")).isEqualTo("invalid_grant");
    }

    @Test
    void aProviderThatCannotAnswerIs503AndNeverALockoutCount() {
        Http.Answer login = login("alice", "alice-secret");
        assertThat(login.status()).isEqualTo(200);
        IDP.stop();
        for (int i = 0; i < 6; i++) {
            Http.Answer down = login("alice", "alice-secret");
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.text("error")).isEqualTo("temporarily_unavailable");
            assertThat(down.header("Retry-After")).isNotNull();
        }
        Http.Answer refreshDown = refresh(login.text("refresh_token"));
        assertThat(refreshDown.status()).isEqualTo(503);
        assertThat(refreshDown.text("error")).isEqualTo("temporarily_unavailable");
        // the provider is shared by every node: its outage leaves the node ready; /healthcheck names it
        Http admin = new Http("http://127.0.0.1:" + STACK.app().getAdminPort());
        assertThat(admin.get("/ready").status()).isEqualTo(200);
        Http.Answer health = admin.get("/healthcheck");
        assertThat(health.status()).isEqualTo(500);
        assertThat(health.json().path("identity-provider").path("healthy").asBoolean(true)).isFalse();

        IDP.start();
        IDP.delay(Duration.ofSeconds(4)); // beyond the 2 s request timeout
        assertThat(login("alice", "alice-secret").status()).isEqualTo(503);
        assertThat(refresh(login.text("refresh_token")).status()).isEqualTo(503);
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(jedis.exists(RedisKeys.userFailures("alice"))).isFalse();
            assertThat(jedis.exists(RedisKeys.ipFailures("127.0.0.1"))).isFalse();
        }
        IDP.recover();
        assertThat(login("alice", "alice-secret").status()).as("not locked out").isEqualTo(200);
        assertThat(refresh(login.text("refresh_token")).status()).as("the refresh token survived").isEqualTo(200);
    }
}
