package io.tollgate.ops.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.unboundid.ldap.sdk.LDAPConnection;
import io.tollgate.cli.ServiceSpec;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.json.Json;
import io.tollgate.testkit.ChildProcess;
import io.tollgate.testkit.FreePorts;
import io.tollgate.testkit.LdapDirectory;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the real launcher (a child JVM, as {@code ops/tollgate-stack} runs it) on free ports with whatever
 * service jars this checkout has built, checks every part through its own protocol, stops it with SIGTERM
 * and checks that nothing it started is left running or listening; then runs {@code --check} on the same
 * ports and data directory (Kafka's data kept across runs).
 */
class LocalStackIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The checkout (ops/..), or -Dtollgate.stack.root=<dir with <module>/target/<module>.jar> to try other builds. */
    private static final Path ROOT = Path.of(System.getProperty("tollgate.stack.root",
            Path.of("").toAbsolutePath().getParent().toString()));

    @TempDir
    Path dataDir;
    private Process launcher;

    @AfterEach
    void killLeftovers() {
        if (launcher != null && launcher.isAlive()) {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
    }

    @Test
    void startsEveryPartHealthyAndStopsWithoutLeftovers() throws Exception {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String part : List.of("kafka", "kafka-controller", "redis", "ldap", "upstream")) {
            ports.put(part, FreePorts.find());
        }
        List<String> args = new ArrayList<>(List.of("--root", ROOT.toString(), "--data-dir", dataDir.toString(),
                "--kafka-port", ports.get("kafka").toString(),
                "--kafka-controller-port", ports.get("kafka-controller").toString(),
                "--redis-port", ports.get("redis").toString(),
                "--ldap-port", ports.get("ldap").toString(),
                "--upstream-port", ports.get("upstream").toString(), "--timeout", "150"));
        List<String> built = new ArrayList<>();
        for (ServiceSpec spec : ServiceSpec.ALL) {
            int port = FreePorts.find();
            int admin = FreePorts.find();
            ports.put(spec.module(), port);
            ports.put(spec.module() + "-admin", admin);
            args.addAll(List.of("--port", spec.module() + "=" + port, "--admin-port", spec.module() + "=" + admin));
            if (Files.isRegularFile(spec.jar(ROOT))) {
                built.add(spec.module());
            }
        }
        Path output = dataDir.resolve("launcher.out");

        launcher = start(args, output);
        awaitOutput(output, "READY", Duration.ofMinutes(5));
        assertThat(Files.readString(output)).contains("READY: every started part is healthy");
        for (ServiceSpec spec : ServiceSpec.ALL) {
            if (!built.contains(spec.module())) {
                assertThat(Files.readString(output)).containsPattern(spec.module() + "\\s+NOT BUILT YET");
            }
        }

        // Kafka: the broker answers, every catalogue topic exists, the demo registry was seeded.
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + ports.get("kafka"));
        try (Admin admin = Admin.create(props)) {
            assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).hasSize(1);
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS))
                    .containsAll(Topics.ALL.stream().map(t -> t.name()).toList());
            assertThat(admin.listOffsets(Map.of(new org.apache.kafka.common.TopicPartition(Topics.REGISTRY.name(), 0),
                    org.apache.kafka.clients.admin.OffsetSpec.latest())).all().get(10, TimeUnit.SECONDS)
                    .values().iterator().next().offset()).isGreaterThanOrEqualTo(DemoRegistry.records().size());
        }
        // Redis answers PING; LDAP binds as a demo user.
        try (Jedis jedis = new Jedis("127.0.0.1", ports.get("redis"))) {
            assertThat(jedis.ping()).isEqualTo("PONG");
        }
        try (LDAPConnection ldap = new LDAPConnection("127.0.0.1", ports.get("ldap"))) {
            ldap.bind("uid=alice," + LdapDirectory.USERS_DN, "alice-secret");
        }
        // The demo upstream echoes method, path and lower-cased headers under /mobile/, 404 elsewhere.
        HttpResponse<String> echo = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + ports.get("upstream") + "/mobile/items/7?x=1"))
                .header("X-Authenticated-UserId", "alice").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(echo.statusCode()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(echo.body());
        assertThat(body.get("method").asText()).isEqualTo("POST");
        assertThat(body.get("path").asText()).isEqualTo("/mobile/items/7?x=1");
        assertThat(body.get("headers").get("x-authenticated-userid").asText()).isEqualTo("alice");
        // It echoes any path: an API an operator applies with this upstream is served under its own prefix.
        assertThat(Json.mapper().readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + ports.get("upstream") + "/orders/1")).build(), HttpResponse.BodyHandlers.ofString()).body())
                .get("path").asText()).isEqualTo("/orders/1");
        // Every service that is built is healthy on its admin port.
        for (String module : built) {
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(module + "-admin")
                    + "/healthcheck")).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                    .as(module + " health").isEqualTo(200);
        }

        List<ProcessHandle> children = launcher.descendants().toList();
        assertThat(children).as("kafka and redis-server at least").hasSizeGreaterThanOrEqualTo(2 + built.size());
        launcher.destroy(); // SIGTERM, what the wrapper forwards on Ctrl-C
        assertThat(launcher.waitFor(120, TimeUnit.SECONDS)).as("launcher stops").isTrue();
        assertThat(launcher.exitValue()).isZero();
        assertThat(Files.readString(output)).contains("stopped.");
        for (ProcessHandle child : children) {
            assertThat(child.isAlive()).as("child " + child.pid() + " " + child.info().command().orElse("")).isFalse();
        }
        ports.forEach((part, port) -> assertThat(FreePorts.isListening(port)).as(part + " port " + port).isFalse());
        String out = Files.readString(output);
        assertThat(out.indexOf("kafka              stopped")).isGreaterThan(-1);
        for (String module : built) {
            assertThat(out.indexOf(module)).isLessThan(out.indexOf("kafka              stopped"));
        }

        // A second start on the same ports and data finds nothing stale; --check exits 0 after a clean stop.
        Path checkOutput = dataDir.resolve("check.out");
        List<String> checkArgs = new ArrayList<>(args);
        checkArgs.add("--check");
        launcher = start(checkArgs, checkOutput);
        assertThat(launcher.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(Files.readString(checkOutput)).contains("CHECK OK");
        assertThat(launcher.exitValue()).isZero();
        ports.forEach((part, port) -> assertThat(FreePorts.isListening(port)).as(part + " port " + port).isFalse());
    }

    private static Process start(List<String> args, Path output) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", ChildProcess.currentClasspath(), StackMain.class.getName()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(new File("/dev/null")).start();
    }

    private void awaitOutput(Path output, String marker, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.exists(output) ? Files.readString(output) : "";
            if (text.contains(marker)) {
                return;
            }
            if (!launcher.isAlive()) {
                throw new AssertionError("launcher exited " + launcher.exitValue() + ":\n" + text);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no " + marker + " within " + timeout + ":\n" + Files.readString(output));
    }
}
