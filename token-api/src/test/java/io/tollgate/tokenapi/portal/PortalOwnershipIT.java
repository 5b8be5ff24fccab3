package io.tollgate.tokenapi.portal;

import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.DeveloperRecord;
import io.tollgate.shared.crypto.PasswordHashes;
import io.tollgate.tokenapi.Outbox;
import io.tollgate.tokenapi.TokenApiTestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Portal ownership is a developer account id, and an address must be verified before its account
 * owns (or is) anything. The seeded demo app cannot be taken over by signing up as its owner's address; a sign-up
 * for a taken address answers exactly like one for a new address; verification links are random, single-use,
 * expiring, stored hashed and need the sign-up's password.
 */
class PortalOwnershipIT {
    static final String LEGACY_EMAIL = "legacy.dev@example.test";
    static final String LEGACY_PASSWORD = "legacy-portal-pass";
    /** An account and an app as they were written before verification and account ownership existed. */
    static final DeveloperRecord LEGACY_DEV = new DeveloperRecord("dev-legacy-1", LEGACY_EMAIL,
            PasswordHashes.hash(LEGACY_PASSWORD, 1_000), Instant.parse("2026-01-01T00:00:00Z"));
    static final ApplicationRecord LEGACY_APP = new ApplicationRecord("app-legacy-1", "legacy-app-abc123",
            "Legacy app", ApplicationRecord.ClientType.PUBLIC, null, LEGACY_EMAIL, Instant.parse("2026-01-01T00:00:00Z"));

    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("portal-ownership-it")
            .registry(LEGACY_DEV, LEGACY_APP).build();
    static final String BASE = STACK.baseUrl();

    static Outbox outbox() {
        return STACK.outbox();
    }

    @Test
    void signingUpAsTheDemoOwnersAddressGivesAStrangerNeitherASessionNorTheDemoApp() {
        PortalClient stranger = new PortalClient(BASE);
        PortalClient.Answer signup = stranger.enter("signup", DemoRegistry.OWNER_EMAIL, "stranger-password");
        assertThat(signup.status()).isEqualTo(202);
        assertThat(signup.header("Set-Cookie")).isNull();
        assertThat(stranger.get("/portal/api/apps/" + DemoRegistry.CLIENT_ID).status()).isEqualTo(401);
        assertThat(stranger.enter("login", DemoRegistry.OWNER_EMAIL, "stranger-password").status()).isEqualTo(401);
        assertThat(stranger.get("/portal/api/apps/" + DemoRegistry.CLIENT_ID).status()).isEqualTo(401);
        // The mail went to the owner's mailbox, and it holds no link: the address already has an account.
        List<String> mails = outbox().to(DemoRegistry.OWNER_EMAIL);
        assertThat(mails).hasSize(1);
        assertThat(Outbox.tokenIn(mails.get(0))).isEmpty();
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(jedis.keys("tg:portal:verify:*")).noneMatch(k -> DemoRegistry.OWNER_EMAIL.equals(
                    jedis.hget(k, "email")));
        }

        // The seeded, verified owner account still logs in with its own password and owns the app, by account id.
        PortalClient owner = new PortalClient(BASE);
        assertThat(owner.enter("login", DemoRegistry.OWNER_EMAIL, DemoRegistry.OWNER_PASSWORD).status()).isEqualTo(200);
        assertThat(clientIds(owner))
                .containsExactlyInAnyOrder(DemoRegistry.CLIENT_ID, DemoRegistry.SERVICE_CLIENT_ID);
        assertThat(DemoRegistry.APPLICATION.ownerId()).isEqualTo(DemoRegistry.OWNER.developerId());
    }

    @Test
    void aLinkSomebodyElseAskedForCreatesNothingWithoutTheirPassword() {
        PortalClient attacker = new PortalClient(BASE);
        assertThat(attacker.enter("signup", "victim@example.test", "attacker-password").status()).isEqualTo(202);
        String token = outbox().awaitToken("victim@example.test");
        // The victim opens the unexpected link and types their own password: no account for the attacker's one.
        PortalClient victim = new PortalClient(BASE);
        PortalClient.Answer wrong = victim.verify(token, "victims-own-password");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.header("Set-Cookie")).isNull();
        assertThat(attacker.enter("login", "victim@example.test", "attacker-password").status()).isEqualTo(401);
        // Five wrong passwords void the link.
        for (int i = 1; i < SignupVerifications.MAX_ATTEMPTS; i++) {
            victim.verify(token, "guess-number-" + i);
        }
        assertThat(attacker.verify(token, "attacker-password").text("error")).isEqualTo("invalid_token");
    }

    @Test
    void aVerificationTokenIsRandomStoredHashedSingleUseAndExpires() {
        PortalClient dev = new PortalClient(BASE);
        dev.enter("signup", "tess@example.test", "tess-portal-pass");
        String first = outbox().awaitToken("tess@example.test");
        dev.enter("signup", "tess@example.test", "tess-portal-pass");
        String second = outbox().token("tess@example.test").orElseThrow();
        assertThat(first).hasSize(43).isNotEqualTo(second);
        try (Jedis jedis = STACK.redis().jedis()) {
            for (String key : jedis.keys("tg:portal:verify:*")) {
                assertThat(key).doesNotContain(first).doesNotContain(second);
                assertThat(jedis.hgetAll(key).values()).noneMatch(v -> v.contains(first) || v.contains(second)
                        || v.contains("tess-portal-pass"));
                assertThat(jedis.ttl(key)).isBetween(1L, 24 * 3600L);
            }
            assertThat(jedis.exists(SignupVerifications.key(first))).isTrue();
            // The first link is past its time (its expiry, as Redis would have dropped it a moment later).
            jedis.hset(SignupVerifications.key(first), "expiresAt", Long.toString(Instant.now().getEpochSecond() - 1));
        }
        assertThat(dev.verify(first, "tess-portal-pass").text("error")).isEqualTo("invalid_token");
        PortalClient.Answer ok = dev.verify(second, "tess-portal-pass");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(new PortalClient(BASE).verify(second, "tess-portal-pass").text("error")).as("single use")
                .isEqualTo("invalid_token");
        assertThat(new PortalClient(BASE).enter("login", "tess@example.test", "tess-portal-pass").status())
                .isEqualTo(200);
    }

    @Test
    void aSignUpForATakenAddressAnswersExactlyAsOneForANewAddress() throws Exception {
        PortalClient fresh = new PortalClient(BASE);
        PortalClient taken = new PortalClient(BASE);
        assertThat(new PortalClient(BASE).signUpVerified("uma@example.test", "uma-portal-pass", outbox()).status())
                .isEqualTo(200);
        try (Jedis jedis = STACK.redis().jedis()) {
            jedis.del(HashingBudget.key("127.0.0.1"));   // a fresh window for the count below
        }
        long hashesBefore = hashes();
        PortalClient.Answer a = fresh.enter("signup", "nobody-yet@example.test", "some-portal-pass");
        long afterNew = hashes();
        PortalClient.Answer b = taken.enter("signup", "uma@example.test", "some-portal-pass");
        long afterTaken = hashes();
        assertThat(b.status()).isEqualTo(a.status()).isEqualTo(202);
        assertThat(b.response().body()).isEqualTo(a.response().body());
        assertThat(b.response().headers().map().keySet()).isEqualTo(a.response().headers().map().keySet());
        assertThat(b.header("Content-Type")).isEqualTo(a.header("Content-Type"));
        // Both took one permit of the hashing budget: the same PBKDF2 path, so no timing tells them apart either.
        assertThat(afterNew - hashesBefore).isEqualTo(1);
        assertThat(afterTaken - afterNew).isEqualTo(1);
        assertThat(outbox().to("uma@example.test").get(1)).contains("already has an account");
        assertThat(Outbox.tokenIn(outbox().to("nobody-yet@example.test").get(0))).isPresent();
    }

    @Test
    void anAppWrittenBeforeAccountsOwnedAppsBelongsOnlyToTheVerifiedAccountOfItsAddress() {
        // The account as written before verification existed is not verified: it logs in to nothing.
        assertThat(new PortalClient(BASE).enter("login", LEGACY_EMAIL, LEGACY_PASSWORD).status()).isEqualTo(401);
        // Its owner signs up again and verifies the address: the account (same id) now owns the app.
        PortalClient owner = new PortalClient(BASE);
        PortalClient.Answer verified = owner.signUpVerified(LEGACY_EMAIL, "legacy-new-pass", outbox());
        assertThat(verified.status()).isEqualTo(200);
        assertThat(clientIds(owner))
                .containsExactly(LEGACY_APP.clientId());
        assertThat(STACK.kafka().readUntil(io.tollgate.shared.topics.Topics.REGISTRY, rs -> rs.stream().anyMatch(r ->
                DeveloperRecord.key(LEGACY_EMAIL).equals(r.key()) && r.value() != null
                        && ((DeveloperRecord) r.value().data()).verified()), java.time.Duration.ofSeconds(20)))
                .isNotEmpty();
        // Another verified developer does not.
        PortalClient other = new PortalClient(BASE);
        assertThat(other.signUpVerified("vic@example.test", "vic-portal-pass", outbox()).status()).isEqualTo(200);
        assertThat(other.get("/portal/api/apps/" + LEGACY_APP.clientId()).status()).isEqualTo(404);
        // An operator session owns no apps and registers none.
        PortalClient ops = new PortalClient(BASE);
        assertThat(ops.enter("login", "ops", "ops-secret").status()).isEqualTo(200);
        assertThat(ops.get("/portal/api/apps/" + LEGACY_APP.clientId()).status()).isEqualTo(404);
        assertThat(ops.postCsrf("/portal/api/apps", Map.of("name", "ops app", "type", "public")).status())
                .isEqualTo(403);
    }

    static List<String> clientIds(PortalClient client) {
        List<String> ids = new java.util.ArrayList<>();
        client.get("/portal/api/apps").json().get("apps").forEach(app -> ids.add(app.get("clientId").asText()));
        return ids;
    }

    static long hashes() {
        try (Jedis jedis = STACK.redis().jedis()) {
            String v = jedis.get(HashingBudget.key("127.0.0.1"));
            return v == null ? 0 : Long.parseLong(v);
        }
    }
}
