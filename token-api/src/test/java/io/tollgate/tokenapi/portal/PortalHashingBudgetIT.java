package io.tollgate.tokenapi.portal;

import io.dropwizard.testing.ConfigOverride;
import io.tollgate.tokenapi.TokenApiTestStack;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portal's PBKDF2 work (sign-up, verification, login) is bounded per client address before
 * any hashing: a flood from one address gets 429 with {@code Retry-After} beyond the bound, and those refused
 * requests hash nothing, mail nothing and store nothing. Also the per-e-mail-address bound on sign-ups.
 */
class PortalHashingBudgetIT {
    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("portal-hashing-it").portalHashingBounds()
            .config(ConfigOverride.config("portal.hashesPerClientAddress", "3"),
                    ConfigOverride.config("portal.hashWindow", "1h"),
                    ConfigOverride.config("portal.signupsPerAddress", "2"))
            .build();
    static final String BASE = STACK.baseUrl();

    @BeforeEach
    void freshCountersAndOutbox() throws java.io.IOException {
        try (Jedis jedis = STACK.redis().jedis()) {
            for (String key : jedis.keys("tg:portal:*")) {
                jedis.del(key);
            }
        }
        if (java.nio.file.Files.isDirectory(STACK.outbox().directory())) {
            try (var files = java.nio.file.Files.list(STACK.outbox().directory())) {
                for (java.nio.file.Path f : files.toList()) {
                    java.nio.file.Files.delete(f);
                }
            }
        }
    }

    @Test
    void aFloodOfSignUpsFromOneAddressIsRefusedWith429BeforeAnyHashingOrMail() throws Exception {
        int flood = 24;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<PortalClient.Answer> answers = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<PortalClient.Answer>> futures = new ArrayList<>();
            for (int i = 0; i < flood; i++) {
                String email = "flood" + i + "@example.test";
                futures.add(pool.submit(() -> {
                    go.await();
                    return new PortalClient(BASE).enter("signup", email, "flood-portal-pass");
                }));
            }
            go.countDown();
            for (Future<PortalClient.Answer> f : futures) {
                answers.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        List<PortalClient.Answer> accepted = answers.stream().filter(a -> a.status() == 202).toList();
        List<PortalClient.Answer> refused = answers.stream().filter(a -> a.status() == 429).toList();
        assertThat(accepted.size() + refused.size()).as("only 202 or 429").isEqualTo(flood);
        assertThat(accepted).hasSizeBetween(1, 3);
        for (PortalClient.Answer a : refused) {
            assertThat(a.text("error")).isEqualTo("too_many_requests");
            assertThat(Long.parseLong(a.header("Retry-After"))).isBetween(1L, 3600L);
        }
        // Only the admitted sign-ups hashed and mailed: one verification mail each, nothing for the refused.
        assertThat(STACK.outbox().all()).hasSize(accepted.size());
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(jedis.keys("tg:portal:verify:*")).hasSize(accepted.size());
        }
        for (PortalClient.Answer a : refused) {
            assertThat(a.header("Set-Cookie")).isNull();
        }
        // Sequential sign-ups use up what the flood left of the address's 3; the next is refused.
        int admitted = accepted.size();
        for (int i = 0; admitted < 3 && i < 3; i++) {
            assertThat(new PortalClient(BASE).enter("signup", "seq" + i + "@example.test", "flood-portal-pass")
                    .status()).isEqualTo(202);
            admitted++;
        }
        PortalClient.Answer fourth = new PortalClient(BASE).enter("signup", "seq9@example.test", "flood-portal-pass");
        assertThat(fourth.status()).isEqualTo(429);
        assertThat(STACK.outbox().to("seq9@example.test")).isEmpty();
        // The bound covers login and verification too, and an operator's login: refused before its password check.
        PortalClient.Answer login = new PortalClient(BASE).enter("login", "ops", "ops-secret");
        assertThat(login.status()).isEqualTo(429);
        assertThat(login.header("Retry-After")).isNotNull();
        assertThat(new PortalClient(BASE).verify("x".repeat(43), "flood-portal-pass").status()).isEqualTo(429);
    }

    @Test
    void signUpsOfOneEmailAddressAreBoundedWhetherItHasAnAccountOrNot() {
        for (int i = 0; i < 2; i++) {
            assertThat(new PortalClient(BASE).enter("signup", "repeat@example.test", "repeat-portal-pass").status())
                    .isEqualTo(202);
        }
        try (Jedis jedis = STACK.redis().jedis()) {
            jedis.del(HashingBudget.key("127.0.0.1"));   // the client-address bound is not what this test is about
        }
        PortalClient.Answer third = new PortalClient(BASE).enter("signup", "repeat@example.test", "repeat-portal-pass");
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.header("Retry-After")).isNotNull();
        assertThat(STACK.outbox().to("repeat@example.test")).hasSize(2);
        // An address with an account (the seeded demo owner) gets exactly the same treatment.
        try (Jedis jedis = STACK.redis().jedis()) {
            jedis.del(HashingBudget.key("127.0.0.1"));
        }
        for (int i = 0; i < 2; i++) {
            assertThat(new PortalClient(BASE).enter("signup", "demo@example.test", "whatever-pass").status())
                    .isEqualTo(202);
        }
        assertThat(new PortalClient(BASE).enter("signup", "demo@example.test", "whatever-pass").status())
                .isEqualTo(429);
        assertThat(STACK.outbox().to("demo@example.test")).hasSize(2);
    }
}
