package io.tollgate.gateway.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import io.tollgate.gateway.testing.TestIssuer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The issuer's keys through Nimbus's cache, rate limit and outage tolerance, against a real JWKS endpoint. */
class JwksKeySourceTest {
    private TestIssuer issuer;
    private JwksKeySource keys;

    @BeforeEach
    void start() throws Exception {
        issuer = new TestIssuer();
    }

    @AfterEach
    void stop() throws Exception {
        if (keys != null) {
            keys.stop();
        }
        issuer.close();
    }

    private static JWKSelector kid(String kid) {
        return new JWKSelector(new JWKMatcher.Builder().keyID(kid).build());
    }

    @Test
    void anUnknownKidFetchesTheRotatedKeyAndFurtherUnknownKidsWaitForTheMinimumInterval() throws Exception {
        keys = new JwksKeySource(issuer.jwksUri(), Duration.ofHours(1), Duration.ofMillis(300));
        keys.start();
        assertThat(keys.isLoaded()).isTrue();
        assertThat(keys.get(kid(TestIssuer.KID), null)).extracting(JWK::getKeyID).containsExactly(TestIssuer.KID);
        issuer.rotate("test-key-2");
        Thread.sleep(350); // past the minimum interval since the start-up fetch
        int before = issuer.fetches();

        assertThat(keys.get(kid("test-key-2"), null)).extracting(JWK::getKeyID).containsExactly("test-key-2");
        assertThat(issuer.fetches()).isEqualTo(before + 1);
        assertThat(keys.get(kid("test-key-2"), JwksKeySource.CACHED_ONLY)).hasSize(1);
        assertThat(keys.size()).isEqualTo(2);

        int fetches = issuer.fetches();
        for (int i = 0; i < 20; i++) {
            assertThat(keys.get(kid("made-up-" + i), null)).isEmpty();
        }
        assertThat(issuer.fetches() - fetches).as("refreshes are rate-limited").isLessThanOrEqualTo(2);
    }

    @Test
    void aCachedOnlyLookupWhileAnotherThreadFetchesTheRotatedSetWaitsForThatFetchInsteadOfFindingNoKey()
            throws Exception {
        keys = new JwksKeySource(issuer.jwksUri(), Duration.ofHours(1), Duration.ofMillis(300));
        keys.start();
        issuer.rotate("test-key-2");
        Thread.sleep(350); // past the minimum interval since the start-up fetch
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = issuer.holdFetches(release);
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            // a worker verifies the first token signed with the new key: it fetches, and the issuer is slow
            Future<List<JWK>> fetching = worker.submit(() -> keys.get(kid("test-key-2"), null));
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

            // meanwhile an event loop sees a second such token: only that fetch can tell, so it must ask again
            // where it may wait for it, not verify against the set the fetch is replacing
            assertThatThrownBy(() -> keys.get(kid("test-key-2"), JwksKeySource.CACHED_ONLY))
                    .isInstanceOf(KeysNotCachedException.class);

            release.countDown();
            assertThat(fetching.get(5, TimeUnit.SECONDS)).extracting(JWK::getKeyID).containsExactly("test-key-2");
            assertThat(keys.get(kid("test-key-2"), JwksKeySource.CACHED_ONLY)).hasSize(1);
        } finally {
            release.countDown();
            worker.shutdownNow();
        }
    }

    @Test
    void aCachedOnlyLookupNeverFetches() throws Exception {
        keys = new JwksKeySource(issuer.jwksUri(), Duration.ofHours(1), Duration.ofSeconds(2));
        assertThatThrownBy(() -> keys.get(kid(TestIssuer.KID), JwksKeySource.CACHED_ONLY))
                .as("nothing cached yet").isInstanceOf(KeysNotCachedException.class);
        assertThat(issuer.fetches()).isZero();
        assertThat(keys.load()).isTrue();

        issuer.rotate("test-key-2");
        int fetches = issuer.fetches();
        assertThat(keys.get(kid("test-key-2"), JwksKeySource.CACHED_ONLY))
                .as("within the minimum interval Nimbus would refuse a refresh: no key, at once").isEmpty();
        Thread.sleep(2_100);
        assertThatThrownBy(() -> keys.get(kid("test-key-2"), JwksKeySource.CACHED_ONLY))
                .as("past it only a fetch can tell").isInstanceOf(KeysNotCachedException.class);
        assertThat(issuer.fetches()).isEqualTo(fetches);
    }

    @Test
    void aScheduledRefreshPicksUpARotatedKeyWithoutAnyLookup() throws Exception {
        keys = new JwksKeySource(issuer.jwksUri(), Duration.ofSeconds(1), Duration.ofMillis(100));
        keys.start();
        issuer.rotate("test-key-2");
        List<JWK> found = List.of();
        for (int i = 0; i < 100 && found.isEmpty(); i++) {
            Thread.sleep(50);
            try {
                found = keys.get(kid("test-key-2"), JwksKeySource.CACHED_ONLY);
            } catch (KeysNotCachedException e) {
                // refreshing
            }
        }
        assertThat(found).extracting(JWK::getKeyID).containsExactly("test-key-2");
    }

    @Test
    void duringAnOutageTheCachedKeysKeepVerifyingPastTheirLifetime() throws Exception {
        keys = new JwksKeySource(issuer.jwksUri(), Duration.ofSeconds(1), Duration.ofMillis(100));
        keys.start();
        issuer.close();
        Thread.sleep(1_500); // past the cache's lifetime: every refresh since has failed
        assertThat(keys.get(kid(TestIssuer.KID), null)).extracting(JWK::getKeyID).containsExactly(TestIssuer.KID);
        assertThat(keys.get(kid(TestIssuer.KID), JwksKeySource.CACHED_ONLY)).hasSize(1);
        assertThat(keys.get(kid("made-up"), null)).isEmpty();
        assertThat(keys.isLoaded()).isTrue();
    }

    @Test
    void aMinimumIntervalNotShorterThanTheLifetimeIsRefused() {
        assertThatThrownBy(() -> new JwksKeySource(issuer.jwksUri(), Duration.ofSeconds(5), Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jwksMinRefreshInterval");
    }
}
