package io.tollgate.dist;

import io.tollgate.shared.crypto.PasswordHashes;
import io.tollgate.shared.startup.DemoOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tarball {@code mvn package} builds, unpacked as a user would: its layout, what its classpaths hold, the CLI,
 * and the services refusing a production template that is not filled in.
 */
class DistributionIT {
    private static final List<String> SERVICES = List.of("token-api", "policy-worker", "revocation-stream", "gateway");
    /** The local stack's demo operator hash (gateway/config/local.yml and the other local YAMLs). */
    private static final String DEMO_OPERATOR_HASH =
            "pbkdf2-sha256$210000$gBKVnb4nupiHwztnVYEe6A==$cl7BYdLdS/8BoKfV0UaFWZOOBm5dNhwD5Isq9g1sR68=";

    @TempDir
    static Path unpacked;
    static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        Path tarball = Path.of(System.getProperty("tollgate.tarball"));
        assertThat(tarball).isRegularFile();
        Result tar = run(List.of("tar", "-xzf", tarball.toString(), "-C", unpacked.toString()), Map.of(), null);
        assertThat(tar.code()).as(tar.output()).isZero();
        home = unpacked.resolve("tollgate-" + System.getProperty("tollgate.version"));
        assertThat(home).isDirectory();
    }

    @Test
    void theLayoutIsBinConfigLib() throws IOException {
        assertThat(names(home)).containsExactlyInAnyOrder("bin", "config", "lib", "README.md");
        assertThat(names(home.resolve("bin"))).containsExactlyInAnyOrder("tollgate", "tollgate-service",
                "tollgate-token-api", "tollgate-policy-worker", "tollgate-revocation-stream", "tollgate-gateway");
        try (Stream<Path> bins = Files.list(home.resolve("bin"))) {
            assertThat(bins).allSatisfy(bin -> assertThat(Files.isExecutable(bin)).as(bin.toString()).isTrue());
        }
        assertThat(names(home.resolve("config"))).containsExactlyInAnyOrder("jvm.options", "gateway.jvm.options", "token-api.yml",
                "policy-worker.yml", "revocation-stream.yml", "gateway.yml");
        for (String service : SERVICES) {
            // the production template, as the service module keeps it
            assertThat(home.resolve("config/" + service + ".yml"))
                    .hasSameTextualContentAs(Path.of("..", service, "config", "production.yml"));
        }
        assertThat(names(home.resolve("lib"))).containsExactlyInAnyOrder("cli", "token-api.jar", "policy-worker.jar",
                "revocation-stream.jar", "gateway.jar");
        assertThat(names(home.resolve("lib/cli"))).anyMatch(n -> n.startsWith("cli-") && n.endsWith(".jar"));
    }

    @Test
    void noJarHoldsABrokerADirectoryServerOrTestCode() throws IOException {
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> files = Files.walk(home.resolve("lib"))) {
            files.filter(f -> f.toString().endsWith(".jar")).forEach(jars::add);
        }
        assertThat(jars).hasSizeGreaterThan(SERVICES.size() + 1);
        assertThat(jars).map(j -> j.getFileName().toString()).noneMatch(n -> n.startsWith("kafka_2.13")
                || n.startsWith("kafka-server") || n.startsWith("kafka-storage") || n.startsWith("unboundid")
                || n.startsWith("testkit") || n.startsWith("junit") || n.startsWith("assertj")
                || n.startsWith("selenium") || n.contains("-tests"));
        for (Path jar : jars) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                List<String> forbidden = zip.stream().map(ZipEntry::getName).filter(e ->
                        e.equals("com/unboundid/ldap/listener/InMemoryDirectoryServer.class")
                                || e.equals("kafka/Kafka.class") || e.startsWith("kafka/server/")
                                || e.startsWith("org/apache/kafka/storage/")
                                || e.startsWith("io/tollgate/testkit/") || e.startsWith("org/junit/")
                                || e.startsWith("org/assertj/")).limit(3).toList();
                assertThat(forbidden).as(jar.toString()).isEmpty();
            }
        }
    }

    @Test
    void theCliRuns() throws Exception {
        Result help = run(List.of(bin("tollgate"), "--help"), Map.of(), null);
        assertThat(help.code()).as(help.output()).isZero();
        assertThat(help.output()).contains("Usage: tollgate").contains("hash-password").contains("keys");

        Result hash = run(List.of(bin("tollgate"), "hash-password"), Map.of(), "a-long-operator-password\n");
        assertThat(hash.code()).as(hash.output()).isZero();
        String printed = hash.output().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(printed).startsWith("pbkdf2-sha256$");
        assertThat(PasswordHashes.verify("a-long-operator-password", printed)).isTrue();
        assertThat(hash.output()).doesNotContain("a-long-operator-password");
    }

    @Test
    void tokenApiRefusesTheDemoOperator() throws Exception {
        Path keys = unpacked.resolve("keys.json");
        Result init = run(List.of(bin("tollgate"), "keys", "init", "--file", keys.toString()), Map.of(), null);
        assertThat(init.code()).as(init.output()).isZero();

        Result start = run(List.of(bin("tollgate-token-api")), tokenApiEnvironment(keys, DEMO_OPERATOR_HASH), null);
        assertThat(start.code()).as(start.output()).isNotZero();
        assertThat(start.output()).contains("token-api: refusing to start: operators[0] (ops) has the demo "
                + "operator's password").doesNotContain("\tat ");
    }

    @Test
    void tokenApiRefusesAMissingKeyFile() throws Exception {
        Path keys = unpacked.resolve("no-such-dir/keys.json");
        Result start = run(List.of(bin("tollgate-token-api"),
                        home.resolve("config/token-api.yml").toString()),
                tokenApiEnvironment(keys, PasswordHashes.hash("not-the-demo-password", 1_000)), null);
        assertThat(start.code()).as(start.output()).isNotZero();
        assertThat(start.output()).contains("token-api: refusing to start: no signing key file " + keys)
                .contains("(keys.file)").doesNotContain("\tat ");
    }

    @Test
    void theGatewayNamesAnUnsetRequiredVariable() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(
                "TOLLGATE_NODE", "gw-1", "TOLLGATE_ISSUER", "https://auth.example.com",
                "TOLLGATE_REDIS_HOST", "127.0.0.1", "TOLLGATE_KAFKA_BOOTSTRAP", "127.0.0.1:9",
                "TOLLGATE_OPERATOR_NAME", "olga", "TOLLGATE_OPERATOR_PASSWORD_HASH", PasswordHashes.hash("x", 1_000),
                "TOLLGATE_GATEWAY_TLS_CERT", "/nonexistent/cert.pem", "TOLLGATE_GATEWAY_TLS_KEY", "/nonexistent/key.pem"));
        Result start = run(List.of(bin("tollgate-gateway")), env, null);
        assertThat(start.code()).as(start.output()).isNotZero();
        assertThat(start.output()).contains("gateway: refusing to start: environment variable TOLLGATE_JWKS_URL is "
                + "not set").doesNotContain("\tat ");
    }

    /** The gateway's jar carries BoringSSL for every platform the launchers run on, and it loads here. */
    @Test
    void theGatewayJarCarriesBoringSslThatLoads() throws Exception {
        Path jar = home.resolve("lib/gateway.jar");
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            assertThat(zip.stream().map(ZipEntry::getName).filter(e -> e.startsWith("META-INF/native/libnetty_tcnative")))
                    .containsExactlyInAnyOrder("META-INF/native/libnetty_tcnative_linux_x86_64.so",
                            "META-INF/native/libnetty_tcnative_linux_aarch_64.so",
                            "META-INF/native/libnetty_tcnative_osx_x86_64.jnilib",
                            "META-INF/native/libnetty_tcnative_osx_aarch_64.jnilib");
        }
        Path probe = Files.writeString(unpacked.resolve("OpenSslProbe.java"), """
                public class OpenSslProbe {
                    public static void main(String[] args) {
                        System.out.println("openssl=" + io.netty.handler.ssl.OpenSsl.versionString()
                                + " cause=" + io.netty.handler.ssl.OpenSsl.unavailabilityCause());
                    }
                }
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Result loaded = run(List.of(java, "-Xmx64m", "-cp", jar.toString(), probe.toString()), Map.of(), null);
        assertThat(loaded.code()).as(loaded.output()).isZero();
        assertThat(loaded.output()).contains("openssl=BoringSSL cause=null");
    }

    /** proxy.tlsEngine openssl (the template's default) where OpenSSL cannot load: one line, never the JDK's engine. */
    @Test
    void theGatewayRefusesToStartWhereOpenSslCannotLoad() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(
                "TOLLGATE_NODE", "gw-1", "TOLLGATE_ISSUER", "https://auth.example.com",
                "TOLLGATE_JWKS_URL", "https://auth.example.com/oauth2/jwks",
                "TOLLGATE_REDIS_HOST", "127.0.0.1", "TOLLGATE_KAFKA_BOOTSTRAP", "127.0.0.1:9",
                "TOLLGATE_OPERATOR_NAME", "olga", "TOLLGATE_OPERATOR_PASSWORD_HASH", PasswordHashes.hash("x", 1_000),
                "TOLLGATE_GATEWAY_TLS_CERT", "/nonexistent/cert.pem", "TOLLGATE_GATEWAY_TLS_KEY", "/nonexistent/key.pem"));
        env.put("TOLLGATE_KAFKA_USERNAME", "tollgate-gateway");
        env.put("TOLLGATE_KAFKA_PASSWORD", "kafka-password");
        // Netty's own switch: OpenSsl.isAvailable() is false, with this as its cause
        env.put("JAVA_OPTS", "-Dio.netty.handler.ssl.noOpenSsl=true");
        Result start = run(List.of(bin("tollgate-gateway")), env, null);
        assertThat(start.code()).as(start.output()).isNotZero();
        assertThat(start.output()).contains("gateway: refusing to start: proxy.tlsEngine is openssl, but OpenSSL "
                        + "(netty-tcnative BoringSSL) cannot be loaded on this platform")
                .contains("OpenSSL was explicit disabled with -Dio.netty.handler.ssl.noOpenSsl=true")
                .contains("Set proxy.tlsEngine: jdk to use the JDK's TLS engine instead.")
                .doesNotContain("\tat ");
    }

    /** Every variable config/token-api.yml requires, the key file and operator hash as given. */
    private static Map<String, String> tokenApiEnvironment(Path keys, String operatorHash) {
        Map<String, String> env = new HashMap<>();
        env.put("TOLLGATE_ISSUER", "https://auth.example.com");
        env.put("TOLLGATE_NODE", "token-api-1");
        env.put("TOLLGATE_KAFKA_BOOTSTRAP", "127.0.0.1:9");
        env.put("TOLLGATE_REDIS_HOST", "127.0.0.1");
        env.put("TOLLGATE_REDIS_PORT", "9");
        env.put("TOLLGATE_LDAP_URLS", "ldaps://127.0.0.1:9");
        env.put("TOLLGATE_KAFKA_USERNAME", "tollgate-token-api");
        env.put("TOLLGATE_KAFKA_PASSWORD", "kafka-password");
        env.put("TOLLGATE_LDAP_BIND_DN", "cn=token-api,dc=example,dc=com");
        env.put("TOLLGATE_LDAP_BIND_PASSWORD", "bind-password");
        env.put("TOLLGATE_LDAP_USER_BASE_DN", "ou=people,dc=example,dc=com");
        env.put("TOLLGATE_LDAP_GROUP_BASE_DN", "ou=groups,dc=example,dc=com");
        env.put("TOLLGATE_KEYS_FILE", keys.toString());
        env.put("TOLLGATE_SMTP_HOST", "127.0.0.1");
        env.put("TOLLGATE_MAIL_FROM", "noreply@example.com");
        env.put("TOLLGATE_OPERATOR_NAME", DemoOperator.NAME);
        env.put("TOLLGATE_OPERATOR_PASSWORD_HASH", operatorHash);
        return env;
    }

    private static String bin(String name) {
        return home.resolve("bin").resolve(name).toString();
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    record Result(int code, String output) {
    }

    /**
     * Runs a command with only {@code env} beyond PATH and JAVA_HOME; stdout and stderr together. A {@code JAVA_OPTS}
     * in {@code env} is added to the quick-start options.
     */
    private static Result run(List<String> command, Map<String, String> env, String stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = pb.environment();
        environment.keySet().removeIf(k -> k.startsWith("TOLLGATE_") || k.equals("JAVA_OPTS"));
        environment.putAll(env);
        environment.put("TOLLGATE_HEAP", "192m");
        // These JVMs stop at start-up: the quick compiler and the small collector start them sooner.
        environment.put("JAVA_OPTS", ("-XX:TieredStopAtLevel=1 -XX:+UseSerialGC " + env.getOrDefault("JAVA_OPTS", ""))
                .strip());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not exit: " + new String(out, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
