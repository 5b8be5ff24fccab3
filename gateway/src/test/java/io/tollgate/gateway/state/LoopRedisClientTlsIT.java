package io.tollgate.gateway.state;

import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.tollgate.shared.crypto.Secret;
import io.tollgate.shared.redis.RedisFactory;
import io.tollgate.testkit.RedisServer;
import io.tollgate.testkit.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's event-loop client over real TLS ({@code redis-server --tls-port}) as the ACL user: it answers with
 * the right CA, the server's host name in its certificate and the user's password; another CA, a certificate of the
 * right CA for another host, a plain-text server and a wrong password each leave every call unanswered (null:
 * the caller's 503), never a reply from an unverified or unauthenticated connection.
 */
class LoopRedisClientTlsIT {
    static final TestCertificates.Authority CA = TestCertificates.authority("Tollgate Redis Test CA");
    static final TestCertificates.Authority STRANGER = TestCertificates.authority("Unknown CA");
    static Path dir;
    static RedisServer right;
    static RedisServer otherHost;
    static RedisServer plain;
    static NioEventLoopGroup group;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("loop-redis-tls");
        right = RedisServer.create().tls(RedisServer.Tls.issue(CA, dir, "127.0.0.1")).requirePass("admin-secret")
                .start();
        right.aclSetUser("gateway", "gateway-secret");
        otherHost = RedisServer.create().tls(RedisServer.Tls.issue(CA, dir, "redis.elsewhere.test")).start();
        otherHost.aclSetUser("gateway", "gateway-secret");
        plain = RedisServer.create().start();
        plain.aclSetUser("gateway", "gateway-secret");
        group = new NioEventLoopGroup(1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        for (RedisServer server : new RedisServer[] {right, otherHost, plain}) {
            if (server != null) {
                server.close();
            }
        }
    }

    static LoopRedisClient client(RedisServer server, TestCertificates.Authority trusted, String password) {
        RedisFactory settings = new RedisFactory();
        settings.port = server.port();
        settings.user = "gateway";
        settings.password = Secret.of(password);
        settings.timeout = java.time.Duration.ofSeconds(2);
        settings.tls.enabled = true;
        settings.tls.caBundle = trusted.writePem(dir.resolve(trusted.certificate().getSerialNumber()
                + ".pem")).toString();
        return new LoopRedisClient(settings.endpoint(), NioSocketChannel.class);
    }

    static Object ask(LoopRedisClient client, List<String> command) throws Exception {
        EventLoop loop = group.next();
        CompletableFuture<Object> reply = new CompletableFuture<>();
        loop.execute(() -> client.send(loop, command, reply::complete));
        return reply.get(30, TimeUnit.SECONDS);
    }

    @Test
    void theAclUserOverVerifiedTls() throws Exception {
        LoopRedisClient client = client(right, CA, "gateway-secret");
        assertThat(ask(client, List.of("ACL", "WHOAMI"))).isEqualTo("gateway");
        assertThat(ask(client, List.of("SET", "tg:test:loop-tls", "v"))).isEqualTo("OK");
        assertThat(ask(client, List.of("GET", "tg:test:loop-tls"))).isEqualTo("v");
    }

    @Test
    void aWrongPasswordAnswersNothing() throws Exception {
        assertThat(ask(client(right, CA, "wrong"), List.of("PING"))).isNull();
    }

    @Test
    void anotherCaAnswersNothing() throws Exception {
        assertThat(ask(client(right, STRANGER, "gateway-secret"), List.of("PING"))).isNull();
    }

    @Test
    void aCertificateForAnotherHostAnswersNothing() throws Exception {
        assertThat(ask(client(otherHost, CA, "gateway-secret"), List.of("PING"))).isNull();
    }

    @Test
    void aPlainTextServerAnswersNothing() throws Exception {
        assertThat(ask(client(plain, CA, "gateway-secret"), List.of("PING"))).isNull();
    }
}
