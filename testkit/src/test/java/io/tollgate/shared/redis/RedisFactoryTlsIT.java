package io.tollgate.shared.redis;

import io.tollgate.shared.crypto.Secret;
import io.tollgate.testkit.RedisSentinelGroup;
import io.tollgate.testkit.RedisServer;
import io.tollgate.testkit.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.util.Pool;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shared Redis settings against real {@code redis-server}s over TLS, with certificates this test makes: the
 * ACL user of a TLS server whose certificate chains to the configured CA and names 127.0.0.1 works; the same
 * server under another CA, a certificate from the right CA for another host name, and a plain-text server are
 * refused (never a fall-back to plain text); Sentinels over TLS name the primary and the pool reaches it.
 */
class RedisFactoryTlsIT {
    static final TestCertificates.Authority CA = TestCertificates.authority("Tollgate Redis Test CA");
    static final TestCertificates.Authority STRANGER = TestCertificates.authority("Unknown CA");
    static final String ADMIN_PASSWORD = "admin-secret";
    static Path dir;
    static Path strangerBundle;
    static RedisServer right;
    static RedisServer otherHost;
    static RedisServer plain;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("redis-tls-it");
        strangerBundle = STRANGER.writePem(dir.resolve("stranger-ca.pem"));
        right = RedisServer.create().tls(RedisServer.Tls.issue(CA, dir, "127.0.0.1", "localhost"))
                .requirePass(ADMIN_PASSWORD).start();
        right.aclSetUser("tollgate", "tollgate-secret");
        otherHost = RedisServer.create().tls(RedisServer.Tls.issue(CA, dir, "redis.elsewhere.test")).start();
        plain = RedisServer.create().start();
    }

    @AfterAll
    static void stop() {
        for (RedisServer server : new RedisServer[] {right, otherHost, plain}) {
            if (server != null) {
                server.close();
            }
        }
    }

    static RedisFactory factory(RedisServer server, String caBundle) {
        RedisFactory f = new RedisFactory();
        f.host = "127.0.0.1";
        f.port = server.port();
        f.user = "tollgate";
        f.password = Secret.of("tollgate-secret");
        f.tls.enabled = true;
        f.tls.caBundle = caBundle;
        return f;
    }

    static String caBundle() {
        return CA.writePem(dir.resolve("ca.pem")).toString();
    }

    @Test
    void theAclUserOverVerifiedTls() {
        try (Pool<Jedis> pool = factory(right, caBundle()).buildPool(); Jedis jedis = pool.getResource()) {
            assertThat(jedis.aclWhoAmI()).isEqualTo("tollgate");
            jedis.set("tg:test:tls", "v");
            assertThat(jedis.get("tg:test:tls")).isEqualTo("v");
        }
    }

    @Test
    void aWrongPasswordOfTheAclUserIsRefused() {
        RedisFactory f = factory(right, caBundle());
        f.password = Secret.of("wrong");
        try (Pool<Jedis> pool = f.buildPool()) {
            assertThatThrownBy(pool::getResource).isInstanceOf(JedisAccessControlException.class)
                    .hasMessageContaining("WRONGPASS");
        }
    }

    @Test
    void aServerUnderAnotherCaIsRefused() {
        try (Pool<Jedis> pool = factory(right, strangerBundle.toString()).buildPool()) {
            assertThatThrownBy(pool::getResource).isInstanceOf(JedisConnectionException.class);
        }
        RedisFactory jvmTrust = factory(right, null); // the JVM's default trust does not know the test CA
        try (Pool<Jedis> pool = jvmTrust.buildPool()) {
            assertThatThrownBy(pool::getResource).isInstanceOf(JedisConnectionException.class);
        }
    }

    @Test
    void aCertificateOfTheRightCaForAnotherHostIsRefused() {
        try (Pool<Jedis> pool = factory(otherHost, caBundle()).buildPool()) {
            assertThatThrownBy(pool::getResource).isInstanceOf(JedisConnectionException.class);
        }
    }

    @Test
    void aPlainTextServerIsRefusedNotFallenBackTo() {
        try (Pool<Jedis> pool = factory(plain, caBundle()).buildPool()) {
            assertThatThrownBy(pool::getResource).isInstanceOf(JedisConnectionException.class);
        }
        try (Jedis jedis = plain.jedis()) {
            assertThat(jedis.clientList()).as("no client of the factory stayed connected").doesNotContain("tollgate");
        }
    }

    @Test
    void sentinelsOverTlsNameThePrimaryAndThePoolReachesIt() {
        try (RedisSentinelGroup group = RedisSentinelGroup.start(RedisServer.Tls.issue(CA, dir, "127.0.0.1"))) {
            RedisFactory f = new RedisFactory();
            f.host = null; // not the default standalone host
            f.sentinel.masterName = RedisSentinelGroup.MASTER_NAME;
            f.sentinel.nodes = group.sentinelNodes();
            f.tls.enabled = true;
            f.tls.caBundle = caBundle();
            RedisEndpoint endpoint = f.endpoint();
            assertThat(endpoint.primary().getPort()).isEqualTo(group.primary().port());
            try (Pool<Jedis> pool = f.buildPool(endpoint); Jedis jedis = pool.getResource()) {
                jedis.set("tg:test:sentinel-tls", "v");
                assertThat(jedis.get("tg:test:sentinel-tls")).isEqualTo("v");
            }

            RedisFactory untrusted = new RedisFactory();
            untrusted.host = null;
            untrusted.sentinel.masterName = RedisSentinelGroup.MASTER_NAME;
            untrusted.sentinel.nodes = group.sentinelNodes();
            untrusted.tls.enabled = true;
            untrusted.tls.caBundle = strangerBundle.toString();
            assertThatThrownBy(() -> untrusted.endpoint().primary()).isInstanceOf(JedisConnectionException.class)
                    .hasMessageContaining("no Sentinel");
        }
    }
}
