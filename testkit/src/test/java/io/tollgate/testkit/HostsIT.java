package io.tollgate.testkit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three hosts as network namespaces: a server inside one host answers the test runner and another host at the
 * host's own address, not while the host's link is cut, again once it is restored; close() leaves no namespace
 * and no link behind. Skipped with one line where namespaces are not allowed.
 */
class HostsIT {

    @Test
    void hostsReachEachOtherAndTheRunnerUntilALinkIsCut() throws Exception {
        Path dir = Files.createTempDirectory("tollgate-hosts-");
        String id;
        try (Hosts hosts = Hosts.create("a", "b", "c")) {
            id = hosts.id();
            assertThat(hosts.all()).extracting(Hosts.Host::address).doesNotHaveDuplicates();
            String b = hosts.address("b");
            int port = 6390;
            // A real server inside host b, bound to b's address only.
            try (ChildProcess redis = hosts.exec("b", "redis-b", dir.resolve("redis.log"), List.of(
                    RedisServer.locateBinary(), "--port", Integer.toString(port), "--bind", b, "--save", "",
                    "--appendonly", "no", "--protected-mode", "no")).start()) {
                await(() -> answers(b, port), "redis inside host b");
                assertThat(ping(b, port)).isEqualTo("+PONG");
                assertThat(fromHost(hosts, "a", b, port)).as("host a reaches host b").isZero();
                assertThat(fromHost(hosts, "c", "127.0.0.1", port)).as("host b's loopback is b's own").isNotZero();

                hosts.cut("b");
                assertThat(answers(b, port)).as("a cut host answers nobody").isFalse();
                assertThat(fromHost(hosts, "a", b, port)).isNotZero();
                assertThat(redis.isAlive()).as("its processes run on").isTrue();

                hosts.restore("b");
                await(() -> answers(b, port), "host b after its link came back");
                assertThat(fromHost(hosts, "c", b, port)).isZero();
            }
        } finally {
            KafkaCluster.deleteRecursively(dir);
        }
        String namespaces = run("ip", "netns", "list");
        String links = run("ip", "-o", "link", "show");
        assertThat(namespaces).doesNotContain(id);
        assertThat(links).doesNotContain("tg" + id);
    }

    /** Exit code of a TCP connect from inside {@code host} (bash's /dev/tcp, 2 s): 0 when it connected. */
    private static int fromHost(Hosts hosts, String host, String address, int port) throws Exception {
        Process p = new ProcessBuilder(hosts.inside(host, List.of("timeout", "2", "bash", "-c",
                "exec 3<>/dev/tcp/" + address + "/" + port))).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    private static boolean answers(String address, int port) {
        try {
            return "+PONG".equals(ping(address, port));
        } catch (IOException e) {
            return false;
        }
    }

    private static String ping(String address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 1000);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] buf = new byte[7];
            int n = socket.getInputStream().read(buf);
            return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII).strip();
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
