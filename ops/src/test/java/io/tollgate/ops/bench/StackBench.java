package io.tollgate.ops.bench;

import io.tollgate.ops.stack.Stack;
import io.tollgate.ops.stack.StackConfig;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.json.Json;
import io.tollgate.testkit.FreePorts;
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
 * round-robin client at twice the limit, and revocation-stream's throughput on the calls topic. Memory is measured
 * under load by {@code ops/bench/gateway-vs-nginx.sh} and {@code ops/bench/token-vs-keycloak.sh}. Run by {@code ops/bench/stack-bench.sh}; prints Markdown tables for BENCHMARKS.md.
 */
public final class StackBench {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int SAMPLES = Integer.getInteger("samples", 1000);
    private static final int OPERATOR_SAMPLES = Integer.getInteger("operatorSamples", 30);
    private static final int USERS = SAMPLES + 20;
    private static final List<String> PHASES = List.of(System.getProperty("phases",
            "revocation,ratelimit,streams").split(","));

    private StackConfig config;
    private final List<String> gateways = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        new StackBench().run(Path.of(args.length > 0 ? args[0] : "").toAbsolutePath());
        System.exit(0);
    }

    private void run(Path root) throws Exception {
        config = io.tollgate.ops.stack.FreePortStacks.config(root, "bench", "tollgate-stack-bench-");
        config.benchUsers = USERS;
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
            if (PHASES.contains("revocation")) {
                revocationPropagation();
            }
            if (PHASES.contains("ratelimit")) {
                rateLimitAccuracy();
            }
            if (PHASES.contains("streams")) {
                streamsThroughput();
            }
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

    // --- Streams throughput on tollgate.calls ---------------------------------------------------------------

    /**
     * Sustained throughput of revocation-stream's usage aggregation: api.call events are produced at a fixed
     * rate (over 1,000 (app, user) pairs) for a while, and every 100 ms a marker call of a pair of its own is
     * sent; its lag is the time from the send to its count appearing in Redis, the whole path (broker,
     * exactly-once Streams commit, Redis write). The consumer group's record lag is sampled as well.
     */
    private void streamsThroughput() throws Exception {
        int seconds = Integer.getInteger("streamsSeconds", 20);
        List<Integer> rates = Arrays.stream(System.getProperty("streamsRates", "1000,2000,5000,10000,20000")
                .split(",")).map(String::trim).map(Integer::parseInt).toList();
        java.util.Properties props = new java.util.Properties();
        props.put("bootstrap.servers", "127.0.0.1:" + config.kafkaPort);
        props.put("acks", "all");
        props.put("enable.idempotence", "true");
        props.put("linger.ms", "5");
        props.put("compression.type", "lz4");
        System.out.println();
        System.out.println("### revocation-stream throughput on tollgate.calls (events produced at a fixed rate for "
                + seconds + " s; marker lag = send to count in Redis)");
        System.out.println();
        System.out.println("| target events/s | produced events/s | markers | marker lag p50 ms | p99 ms | max ms "
                + "| max consumer lag (records) |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, io.tollgate.shared.events.Event<?>>(
                props, new org.apache.kafka.common.serialization.StringSerializer(),
                io.tollgate.shared.events.EventSerde.INSTANCE.serializer());
             var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers",
                     "127.0.0.1:" + config.kafkaPort));
             Jedis jedis = new Jedis("127.0.0.1", config.redisPort)) {
            java.net.URI source = io.tollgate.shared.events.Event.source("stack-bench", "streams");
            // warm-up: the Streams app has started and counts a call before anything is measured
            io.tollgate.shared.events.ApiCall first = apiCall("bench-marker", "warm-up");
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                    io.tollgate.shared.topics.Topics.CALLS.name(), first.key(),
                    io.tollgate.shared.events.Event.of(source, first))).get();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!jedis.exists(io.tollgate.shared.redis.RedisKeys.usage("bench-marker", "warm-up",
                    io.tollgate.shared.redis.RedisKeys.Window.MINUTE, first.time().getEpochSecond() / 60 * 60))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("revocation-stream counted no call within 2 minutes");
                }
                Thread.sleep(50);
            }
            streamsStep(producer, admin, jedis, source, rates.get(0), 5, false); // JIT warm-up, not printed
            for (int rate : rates) {
                streamsStep(producer, admin, jedis, source, rate, seconds);
            }
        }
    }

    private void streamsStep(org.apache.kafka.clients.producer.Producer<String, io.tollgate.shared.events.Event<?>> producer,
                             org.apache.kafka.clients.admin.Admin admin, Jedis jedis, java.net.URI source, int rate,
                             int seconds) throws Exception {
        streamsStep(producer, admin, jedis, source, rate, seconds, true);
    }

    private void streamsStep(org.apache.kafka.clients.producer.Producer<String, io.tollgate.shared.events.Event<?>> producer,
                             org.apache.kafka.clients.admin.Admin admin, Jedis jedis, java.net.URI source, int rate,
                             int seconds, boolean print) throws Exception {
        record Marker(String user, long sentNanos, long windowStart) {
        }
        List<Marker> markers = new ArrayList<>();
        List<Long> lags = new ArrayList<>();
        long maxRecordLag = 0;
        long sent = 0;
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        long nextLagSample = start;
        int pending = 0;
        int markerCount = 0;
        java.util.Deque<Marker> open = new java.util.ArrayDeque<>();
        while (true) {
            long now = System.nanoTime();
            if (now >= end && open.isEmpty()) {
                break;
            }
            if (now - end > Duration.ofSeconds(30).toNanos()) {
                throw new IllegalStateException(open.size() + " markers still not counted 30 s after the step at "
                        + rate + "/s");
            }
            if (now < end) {
                long due = (now - start) * rate / 1_000_000_000L;
                for (; sent < due; sent++) {
                    String pair = String.format("load%04d", sent % 1000);
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                            io.tollgate.shared.topics.Topics.CALLS.name(), "bench-app|" + pair,
                            io.tollgate.shared.events.Event.of(source, apiCall("bench-app", pair))));
                }
                if ((now - start) / 100_000_000L >= markerCount) {
                    String user = "marker-" + rate + "-" + seconds + "-" + markerCount++;
                    java.time.Instant t = java.time.Instant.now();
                    io.tollgate.shared.events.ApiCall call = apiCall("bench-marker", user);
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                            io.tollgate.shared.topics.Topics.CALLS.name(), call.key(),
                            io.tollgate.shared.events.Event.of(source, call)));
                    open.add(new Marker(user, System.nanoTime(), call.time().getEpochSecond() / 60 * 60));
                }
            }
            // a marker's count appears in Redis once Streams has committed it
            java.util.Iterator<Marker> it = open.iterator();
            while (it.hasNext()) {
                Marker m = it.next();
                if (jedis.exists(io.tollgate.shared.redis.RedisKeys.usage("bench-marker", m.user(),
                        io.tollgate.shared.redis.RedisKeys.Window.MINUTE, m.windowStart()))) {
                    lags.add(System.nanoTime() - m.sentNanos());
                    it.remove();
                }
            }
            if (now >= nextLagSample) {
                maxRecordLag = Math.max(maxRecordLag, consumerLag(admin));
                nextLagSample = now + 500_000_000L;
            }
            Thread.sleep(0, 500_000);
        }
        long[] sorted = lags.stream().mapToLong(Long::longValue).sorted().toArray();
        if (!print) {
            return;
        }
        System.out.printf("| %,d | %,.0f | %d | %.0f | %.0f | %.0f | %,d |%n", rate, sent / (double) seconds,
                sorted.length, ms(percentile(sorted, 50)), ms(percentile(sorted, 99)), ms(sorted[sorted.length - 1]),
                maxRecordLag);
    }

    private static io.tollgate.shared.events.ApiCall apiCall(String client, String user) {
        return new io.tollgate.shared.events.ApiCall(client, user, "mobile", "/mobile", "GET", 200, 800,
                io.tollgate.shared.events.ApiCall.Outcome.PROXIED, java.time.Instant.now());
    }

    /** Records on tollgate.calls not yet committed by revocation-stream's Streams application. */
    private static long consumerLag(org.apache.kafka.clients.admin.Admin admin) throws Exception {
        var committed = admin.listConsumerGroupOffsets("tollgate-revocation-stream").partitionsToOffsetAndMetadata()
                .get();
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest =
                new java.util.HashMap<>();
        committed.keySet().stream().filter(tp -> tp.topic().equals(io.tollgate.shared.topics.Topics.CALLS.name()))
                .forEach(tp -> latest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()));
        var ends = admin.listOffsets(latest).all().get();
        long lag = 0;
        for (var e : ends.entrySet()) {
            var c = committed.get(e.getKey());
            lag += Math.max(0, e.getValue().offset() - (c == null ? 0 : c.offset()));
        }
        return lag;
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
