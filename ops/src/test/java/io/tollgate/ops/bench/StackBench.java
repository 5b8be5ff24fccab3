package io.tollgate.ops.bench;

import io.tollgate.ops.stack.ServiceSpec;
import io.tollgate.ops.stack.Stack;
import io.tollgate.ops.stack.StackConfig;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.json.Json;
import io.tollgate.shared.testing.FreePorts;
import redis.clients.jedis.Jedis;

import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whole-stack measurements that need several gateway nodes: revocation propagation (revocation accepted by
 * token-api to every gateway rejecting the token), rate-limit accuracy across three nodes behind a
 * round-robin client at twice the limit, each service's resident memory, and Redis bytes per token family.
 * Run by {@code ops/bench/stack-bench.sh}; prints Markdown tables for BENCHMARKS.md.
 */
public final class StackBench {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int SAMPLES = Integer.getInteger("samples", 1000);
    private static final int OPERATOR_SAMPLES = Integer.getInteger("operatorSamples", 30);
    private static final int USERS = SAMPLES + 20;

    private final StackConfig config = new StackConfig();
    private final List<String> gateways = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        new StackBench().run(Path.of(args.length > 0 ? args[0] : "").toAbsolutePath());
        System.exit(0);
    }

    private void run(Path root) throws Exception {
        config.root = root;
        config.dataDir = Files.createTempDirectory("tollgate-stack-bench-");
        config.node = "bench";
        config.benchUsers = USERS;
        config.kafkaPort = FreePorts.find();
        config.kafkaControllerPort = FreePorts.find();
        config.redisPort = FreePorts.find();
        config.ldapPort = FreePorts.find();
        config.upstreamPort = FreePorts.find();
        for (ServiceSpec spec : ServiceSpec.ALL) {
            config.ports.put(spec.module(), FreePorts.find());
            config.adminPorts.put(spec.module(), FreePorts.find());
        }
        try (Stack stack = new Stack(config, new PrintStream(System.err, true, StandardCharsets.UTF_8))) {
            if (!stack.start()) {
                throw new IllegalStateException("the stack is not healthy");
            }
            gateways.add("http://127.0.0.1:" + config.port("gateway"));
            for (String node : List.of("gw2", "gw3")) {
                int port = FreePorts.find();
                stack.startNode("gateway", node, port, FreePorts.find());
                gateways.add("http://127.0.0.1:" + port);
            }
            System.out.println("## Stack benchmark (" + java.time.LocalDate.now() + ", " + Runtime.getRuntime()
                    .availableProcessors() + " cores, load " + loadAverage() + ")");
            revocationPropagation();
            rateLimitAccuracy();
            memory(stack.servicePids());
        }
    }

    // --- revocation propagation -------------------------------------------------------------------------

    private void revocationPropagation() throws Exception {
        List<String> twoNodes = gateways.subList(0, 2);
        long[] rfc7009 = new long[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            Map<String, String> tokens = login(user(i + 1), password(i + 1));
            String access = tokens.get("access_token");
            for (String gw : twoNodes) {
                expect(call(gw, access), 200);
            }
            HttpResponse<String> revoked = post(config.issuer() + "/oauth2/revoke",
                    "client_id=" + DemoRegistry.CLIENT_ID + "&token=" + access, null);
            long accepted = System.nanoTime();
            expect(revoked.statusCode(), 200);
            rfc7009[i] = untilAllReject(twoNodes, access, accepted);
        }
        long[] operator = new long[OPERATOR_SAMPLES];
        for (int i = 0; i < OPERATOR_SAMPLES; i++) {
            String user = user(SAMPLES + 1 + (i % 10));
            Map<String, String> tokens = login(user, password(SAMPLES + 1 + (i % 10)));
            for (String gw : twoNodes) {
                expect(call(gw, tokens.get("access_token")), 200);
            }
            HttpResponse<String> revoked = post(config.issuer() + "/admin/users/" + user + "/revoke",
                    "{\"reason\":\"bench\"}", "ops:ops-secret");
            long accepted = System.nanoTime();
            expect(revoked.statusCode(), 204);
            operator[i] = untilAllReject(twoNodes, tokens.get("access_token"), accepted);
            Thread.sleep(1_050); // not-before is in whole seconds: the next login must be a second later
        }
        System.out.println();
        System.out.println("### Revocation propagation (two gateway nodes; from the revocation's answer to both "
                + "nodes answering 401)");
        System.out.println();
        System.out.println("| revocation | samples | p50 ms | p99 ms | max ms |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        row("RFC 7009, access token (jti)", rfc7009);
        row("operator API, whole user", operator);
    }

    private long untilAllReject(List<String> nodes, String token, long since) throws Exception {
        List<CompletableFuture<Long>> waits = new ArrayList<>();
        for (String gw : nodes) {
            waits.add(CompletableFuture.supplyAsync(() -> {
                while (true) {
                    try {
                        if (call(gw, token) == 401) {
                            return System.nanoTime();
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    if (System.nanoTime() - since > Duration.ofSeconds(10).toNanos()) {
                        throw new IllegalStateException("still accepted after 10 s at " + gw);
                    }
                }
            }));
        }
        long last = 0;
        for (CompletableFuture<Long> wait : waits) {
            last = Math.max(last, wait.get());
        }
        return last - since;
    }

    private static void row(String name, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("| %s | %d | %.1f | %.1f | %.1f |%n", name, sorted.length, ms(percentile(sorted, 50)),
                ms(percentile(sorted, 99)), ms(sorted[sorted.length - 1]));
    }

    // --- rate-limit accuracy ----------------------------------------------------------------------------

    private void rateLimitAccuracy() throws Exception {
        int users = 10;
        int limit = 60; // the basic plan
        int perUser = 2 * limit;
        List<String> tokens = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            int n = SAMPLES + 11 + u;
            tokens.add(login(user(n), password(n)).get("access_token"));
        }
        boolean probeAdmitted = awaitFreshWindow(tokens.get(0));
        AtomicInteger[] admitted = new AtomicInteger[users];
        AtomicInteger limited = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        for (int u = 0; u < users; u++) {
            admitted[u] = new AtomicInteger();
        }
        if (probeAdmitted) {
            admitted[0].incrementAndGet(); // the probe that read the window was admitted and counts
        }
        ExecutorService pool = Executors.newFixedThreadPool(24);
        List<Future<?>> calls = new ArrayList<>();
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        for (int i = 0; i < users * perUser; i++) {
            int u = i % users;
            calls.add(pool.submit(() -> {
                String gw = gateways.get(Math.floorMod(next.getAndIncrement(), gateways.size())); // round robin
                int status = call(gw, tokens.get(u));
                if (status == 200) {
                    admitted[u].incrementAndGet();
                } else if (status == 429) {
                    limited.incrementAndGet();
                } else {
                    other.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> call : calls) {
            call.get();
        }
        pool.shutdown();
        long took = System.nanoTime() - start;
        int total = Arrays.stream(admitted).mapToInt(AtomicInteger::get).sum();
        System.out.println();
        System.out.println("### Rate-limit accuracy (three gateway nodes, round robin, 2x the limit)");
        System.out.println();
        System.out.println("| users | limit per user | calls sent (+ probe) | admitted | 429 | other | admitted / limit | took s |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        System.out.printf("| %d | %d/min | %d | %d | %d | %d | %.4f | %.1f |%n", users, limit, users * perUser, total,
                limited.get(), other.get(), total / (double) (users * limit), took / 1e9);
    }

    /** Waits until the current minute window has at least 30 s left; true if the probe call was admitted. */
    private boolean awaitFreshWindow(String token) throws Exception {
        HttpResponse<String> probe = HTTP.send(HttpRequest.newBuilder(URI.create(gateways.get(0) + "/mobile/probe"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        String header = probe.headers().firstValue("RateLimit").orElse("");
        int t = Integer.parseInt(header.replaceAll(".*;t=(\\d+).*", "$1"));
        if (t < 30) {
            Thread.sleep((t + 1) * 1_000L);
            return false; // a new window: the probe's admission belonged to the old one
        }
        return probeAdmitted(probe);
    }

    private static boolean probeAdmitted(HttpResponse<String> probe) {
        return probe.statusCode() == 200;
    }

    // --- memory -----------------------------------------------------------------------------------------

    private void memory(Map<String, Long> pids) throws Exception {
        System.out.println();
        System.out.println("### Memory after the runs above (resident set of each service JVM, -Xmx256m)");
        System.out.println();
        System.out.println("| service | RSS MiB |");
        System.out.println("| --- | ---: |");
        for (var entry : pids.entrySet()) {
            System.out.printf("| %s | %.0f |%n", entry.getKey(), rssKib(entry.getValue()) / 1024.0);
        }
        try (Jedis jedis = new Jedis("127.0.0.1", config.redisPort)) {
            long before = usedMemory(jedis);
            long familiesBefore = jedis.keys("tg:family:*").size();
            int logins = 1000;
            for (int i = 0; i < logins; i++) {
                login(user(1 + (i % SAMPLES)), password(1 + (i % SAMPLES)));
            }
            Thread.sleep(3_000); // let revocation-stream's re-projection and policy-worker settle
            long after = usedMemory(jedis);
            long families = jedis.keys("tg:family:*").size() - familiesBefore;
            System.out.println();
            System.out.printf("Redis: %d new token families took %.0f KiB: %.0f bytes per live family (family hash, "
                    + "refresh-hash index, per-user sorted set entry).%n", families, (after - before) / 1024.0,
                    (after - before) / (double) Math.max(1, families));
        }
    }

    private static long usedMemory(Jedis jedis) {
        return jedis.info("memory").lines().filter(l -> l.startsWith("used_memory:"))
                .mapToLong(l -> Long.parseLong(l.substring("used_memory:".length()).trim())).findFirst().orElse(0);
    }

    private static long rssKib(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0);
    }

    // --- helpers ----------------------------------------------------------------------------------------

    private static String user(int n) {
        return String.format("user%04d", n);
    }

    private static String password(int n) {
        return String.format("pw-%04d", n);
    }

    private Map<String, String> login(String user, String password) throws Exception {
        HttpResponse<String> answer = post(config.issuer() + "/oauth2/token", "grant_type=password&client_id="
                + DemoRegistry.CLIENT_ID + "&username=" + enc(user) + "&password=" + enc(password), null);
        expect(answer.statusCode(), 200);
        @SuppressWarnings("unchecked")
        Map<String, String> body = Json.mapper().readValue(answer.body(), Map.class);
        return body;
    }

    private static int call(String gateway, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/mobile/bench")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static HttpResponse<String> post(String url, String body, String basic) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (basic != null) {
            request.header("Authorization", "Basic " + java.util.Base64.getEncoder()
                    .encodeToString(basic.getBytes(StandardCharsets.UTF_8))).header("Content-Type", "application/json");
        } else {
            request.header("Content-Type", "application/x-www-form-urlencoded");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void expect(int status, int expected) {
        if (status != expected) {
            throw new IllegalStateException("expected " + expected + " but got " + status);
        }
    }

    private static long percentile(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }
}
