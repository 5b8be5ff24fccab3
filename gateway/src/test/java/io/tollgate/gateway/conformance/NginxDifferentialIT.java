package io.tollgate.gateway.conformance;

import io.tollgate.gateway.GatewayServer;
import io.tollgate.gateway.testing.Gateways;
import io.tollgate.gateway.testing.TestIssuer;
import io.tollgate.testkit.KafkaExtension;
import io.tollgate.testkit.RedisExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The differential proof against request smuggling: every input of {@link SmugglingCorpus} goes, on a fresh
 * connection, through a real nginx (Debian's nginx-light with its packaged defaults) and through the gateway, each
 * in front of a
 * {@link RawRecordingUpstream}; {@link DifferentialOracle} judges what each upstream received against the
 * RFC 9112 reading of the client's bytes and against what nginx did. The table (inputs per class, outcomes of
 * both) is printed and written to {@code target/nginx-differential.md}, the violations to
 * {@code target/nginx-differential-violations.txt}. A missing nginx fails the test: the proof is never skipped.
 */
class NginxDifferentialIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.shared();
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    /** Long enough for a loaded 2-core box (load 20 seen) to answer; only inputs that never end wait it out. */
    private static final int IDLE_MILLIS = 5_000;
    private static final int QUIET_MILLIS = 150;
    private static final int THREADS = 24;

    /** What both proxies did with one input. */
    private record Run(RawExchange.Answer gateway, RawExchange.Answer nginx) {
    }

    @Test
    void theGatewayForwardsOnlyTheClientsOwnRequestsAndRefusesWhatNginxRefuses() throws Exception {
        NginxProxy.binary(); // fails with how to install it, before anything starts
        long started = System.nanoTime();
        Map<String, DifferentialOracle.Identity> identities = new ConcurrentHashMap<>();
        try (TestIssuer issuer = new TestIssuer();
             RawRecordingUpstream behindNginx = new RawRecordingUpstream();
             RawRecordingUpstream behindGateway = new RawRecordingUpstream();
             NginxProxy nginx = NginxProxy.start(behindNginx.port())) {
            Gateways.prepare(KAFKA, REDIS);
            GatewayServer gateway = Gateways.start(Gateways.config("nginx-diff", KAFKA, REDIS, issuer,
                    URI.create("http://127.0.0.1:" + behindGateway.port())));
            try {
                List<SmugglingCorpus.Case> cases = SmugglingCorpus.build((user, scope) -> {
                    String token = issuer.token(user, scope);
                    identities.put(token, new DifferentialOracle.Identity(user, scope));
                    return token;
                });
                assertThat(cases).hasSizeGreaterThanOrEqualTo(400);
                Map<Integer, Reading> readings = new LinkedHashMap<>();
                cases.forEach(c -> readings.put(c.id(), Reading.of(c.raw())));

                Map<Integer, Run> runs = new ConcurrentHashMap<>();
                Map<Integer, List<UpstreamRecord.Forwarded>> gatewayForwarded = new ConcurrentHashMap<>();
                Map<Integer, List<UpstreamRecord.Forwarded>> nginxForwarded = new ConcurrentHashMap<>();
                ExecutorService pool = Executors.newFixedThreadPool(THREADS);
                try {
                    // inputs without an id in their requests run alone: everything received meanwhile is theirs
                    for (SmugglingCorpus.Case c : cases) {
                        if (c.serial()) {
                            int[] g = sizes(behindGateway);
                            int[] n = sizes(behindNginx);
                            runs.put(c.id(), send(pool, gateway.port(), nginx.port(), c, readings.get(c.id())));
                            settle(behindGateway, behindNginx);
                            gatewayForwarded.putAll(UpstreamRecord.byOwner(since(behindGateway, g), c.id()));
                            nginxForwarded.putAll(UpstreamRecord.byOwner(since(behindNginx, n), c.id()));
                        }
                    }
                    int[] g = sizes(behindGateway);
                    int[] n = sizes(behindNginx);
                    List<Future<?>> futures = new ArrayList<>();
                    for (SmugglingCorpus.Case c : cases) {
                        if (!c.serial()) {
                            futures.add(pool.submit(() -> runs.put(c.id(), sendBoth(gateway.port(), nginx.port(), c,
                                    readings.get(c.id())))));
                        }
                    }
                    for (Future<?> f : futures) {
                        f.get();
                    }
                    settle(behindGateway, behindNginx);
                    gatewayForwarded.putAll(UpstreamRecord.byOwner(since(behindGateway, g), -1));
                    nginxForwarded.putAll(UpstreamRecord.byOwner(since(behindNginx, n), -1));
                } finally {
                    pool.shutdownNow();
                }

                DifferentialOracle oracle = new DifferentialOracle(identities);
                Map<String, Map<DifferentialOracle.Outcome, Integer>> gatewayTable = new LinkedHashMap<>();
                Map<String, Map<DifferentialOracle.Outcome, Integer>> nginxTable = new LinkedHashMap<>();
                Map<String, Integer> inputs = new LinkedHashMap<>();
                Map<String, Integer> failing = new LinkedHashMap<>();
                List<String> violations = new ArrayList<>();
                List<String> controls = new ArrayList<>();
                List<String> allowed = new ArrayList<>();
                for (SmugglingCorpus.Case c : cases) {
                    Run run = runs.get(c.id());
                    DifferentialOracle.Verdict verdict = oracle.judge(c, readings.get(c.id()), run.gateway(),
                            gatewayForwarded.getOrDefault(c.id(), List.of()), run.nginx(),
                            nginxForwarded.getOrDefault(c.id(), List.of()));
                    String key = c.kind() + " " + c.label();
                    if (DifferentialOracle.ALLOWED.containsKey(key) && verdict.gateway() == DifferentialOracle.Outcome.FORWARDED
                            && verdict.nginx() != DifferentialOracle.Outcome.FORWARDED) {
                        allowed.add("#" + c.id() + " " + key + ": nginx " + verdict.nginx() + ", the gateway forwarded ("
                                + DifferentialOracle.ALLOWED.get(key) + ")");
                    }
                    if (c.kind().equals(SmugglingCorpus.CONTROL)) {
                        controls.add(c.label() + ": gateway " + verdict.gateway() + ", nginx " + verdict.nginx());
                    }
                    inputs.merge(c.kind(), 1, Integer::sum);
                    gatewayTable.computeIfAbsent(c.kind(), k -> new EnumMap<>(DifferentialOracle.Outcome.class))
                            .merge(verdict.gateway(), 1, Integer::sum);
                    nginxTable.computeIfAbsent(c.kind(), k -> new EnumMap<>(DifferentialOracle.Outcome.class))
                            .merge(verdict.nginx(), 1, Integer::sum);
                    failing.merge(c.kind(), verdict.violations().isEmpty() ? 0 : 1, Integer::sum);
                    for (String violation : verdict.violations()) {
                        violations.add("#" + c.id() + " [" + c.kind() + "] " + c.label() + ": " + violation
                                + "\n    input: " + Http1Parser.show(redact(c.raw()), 1_000));
                    }
                }
                List<UpstreamRecord.Forwarded> orphans = gatewayForwarded.getOrDefault(-1, List.of());
                for (UpstreamRecord.Forwarded f : orphans) {
                    violations.add("the gateway's upstream received a request no input sent: " + Http1Parser.show(f.raw()));
                }

                long seconds = (System.nanoTime() - started) / 1_000_000_000L;
                String table = table(nginx.version(), cases.size(), seconds, inputs, gatewayTable, nginxTable, failing);
                table += "\nAllow-listed (nginx refused, the gateway forwarded exactly the client's request): "
                        + (allowed.isEmpty() ? "none" : allowed.size() + " inputs, "
                        + allowed.stream().map(a -> a.substring(a.indexOf(' ') + 1, a.indexOf(':')))
                        .collect(java.util.stream.Collectors.joining("; "))) + ".\n";
                System.out.println(table);
                allowed.forEach(line -> System.out.println("allow-listed: " + line));
                violations.stream().limit(60).forEach(System.out::println);
                Path target = Path.of("target");
                Files.createDirectories(target);
                Files.writeString(target.resolve("nginx-differential.md"), table);
                Files.writeString(target.resolve("nginx-differential-violations.txt"), String.join("\n", violations) + "\n");
                Files.writeString(target.resolve("nginx-differential-nginx-error.log"), nginx.errorLog());

                // the harness itself: clean requests pass both proxies, and the reference reading of the corpus's
                // first request completed with a Host is one GET whose 125-byte body holds the smuggled head
                assertThat(controls).as("clean requests are forwarded by both")
                        .allMatch(line -> line.endsWith("gateway FORWARDED, nginx FORWARDED"));
                Reading issue = readings.get(cases.stream().filter(c -> c.label().equals(
                        "with-host/connection-content-length")).findFirst().orElseThrow().id());
                assertThat(issue.requests()).hasSize(1);
                assertThat(issue.requests().get(0).body()).hasSize(125);
                assertThat(issue.end()).isEqualTo(Reading.End.INVALID);
                assertThat(violations).as("%d violations (all in target/nginx-differential-violations.txt)",
                        violations.size()).isEmpty();
            } finally {
                gateway.stop();
            }
        }
    }

    private Run send(ExecutorService pool, int gatewayPort, int nginxPort, SmugglingCorpus.Case c, Reading reading)
            throws Exception {
        Future<RawExchange.Answer> n = pool.submit(() -> exchange(nginxPort, c, reading));
        RawExchange.Answer g = exchange(gatewayPort, c, reading);
        return new Run(g, n.get());
    }

    private static Run sendBoth(int gatewayPort, int nginxPort, SmugglingCorpus.Case c, Reading reading) {
        return new Run(exchange(gatewayPort, c, reading), exchange(nginxPort, c, reading));
    }

    private static RawExchange.Answer exchange(int port, SmugglingCorpus.Case c, Reading reading) {
        return RawExchange.send(port, c.raw(), reading.answersOwed(), IDLE_MILLIS, QUIET_MILLIS);
    }

    private static int[] sizes(RawRecordingUpstream upstream) {
        return upstream.connections().stream().mapToInt(RawRecordingUpstream.Connection::size).toArray();
    }

    /** The bytes each connection received since {@code sizes} (whole connections opened since). */
    private static List<byte[]> since(RawRecordingUpstream upstream, int[] sizes) {
        List<byte[]> out = new ArrayList<>();
        List<RawRecordingUpstream.Connection> connections = upstream.connections();
        for (int i = 0; i < connections.size(); i++) {
            byte[] all = connections.get(i).bytes();
            int from = i < sizes.length ? sizes[i] : 0;
            if (all.length > from) {
                out.add(java.util.Arrays.copyOfRange(all, from, all.length));
            }
        }
        return out;
    }

    /** Waits until neither upstream has received a byte for 300 ms (at most 5 s). */
    private static void settle(RawRecordingUpstream a, RawRecordingUpstream b) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            long last = Math.max(a.lastActivityNanos(), b.lastActivityNanos());
            if (System.nanoTime() - last > 300_000_000L) {
                return;
            }
            Thread.sleep(50);
        }
    }

    /** The input as text with every JWT shortened: reports must not carry tokens. */
    private static String redact(byte[] raw) {
        return new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replaceAll("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+", "<token>");
    }

    private static String table(String nginxVersion, int cases, long seconds, Map<String, Integer> inputs,
                                Map<String, Map<DifferentialOracle.Outcome, Integer>> gateway,
                                Map<String, Map<DifferentialOracle.Outcome, Integer>> nginx,
                                Map<String, Integer> failing) {
        StringBuilder s = new StringBuilder();
        s.append("NginxDifferentialIT, ").append(LocalDate.now(ZoneOffset.UTC)).append(", ").append(nginxVersion)
                .append(" (Debian nginx-light, packaged defaults), ").append(cases).append(" inputs in ")
                .append(seconds).append(" s. Outcomes per input: forwarded (the upstream received something), else the"
                        + " first answer 4xx or 5xx (nginx's 5xx are its 501 for an unknown Transfer-Encoding), closed"
                        + " without an answer, or no answer within " + IDLE_MILLIS + " ms (still waiting for bytes).\n\n");
        s.append("| class | inputs | gateway: forwarded / 4xx / 5xx / closed / no answer | nginx: forwarded / 4xx / 5xx / closed / no answer | inputs where the gateway breaks the contract |\n");
        s.append("| --- | ---: | --- | --- | ---: |\n");
        int[] totals = new int[12];
        for (String kind : inputs.keySet()) {
            int[] g = counts(gateway.get(kind));
            int[] n = counts(nginx.get(kind));
            s.append("| ").append(kind).append(" | ").append(inputs.get(kind)).append(" | ")
                    .append(slashed(g)).append(" | ").append(slashed(n)).append(" | ").append(failing.get(kind))
                    .append(" |\n");
            totals[0] += inputs.get(kind);
            for (int i = 0; i < 5; i++) {
                totals[1 + i] += g[i];
                totals[6 + i] += n[i];
            }
            totals[11] += failing.get(kind);
        }
        s.append("| **all** | ").append(totals[0]).append(" | ")
                .append(slashed(java.util.Arrays.copyOfRange(totals, 1, 6))).append(" | ")
                .append(slashed(java.util.Arrays.copyOfRange(totals, 6, 11))).append(" | ").append(totals[11])
                .append(" |\n");
        return s.toString();
    }

    /**
     * forwarded, refused 4xx, refused 5xx (nginx: 501 for a Transfer-Encoding it does not know), closed (an answer
     * below 400 without forwarding counts there too; for the gateway the oracle reports it), no answer within the
     * idle timeout (still waiting for bytes the input never sends).
     */
    private static int[] counts(Map<DifferentialOracle.Outcome, Integer> m) {
        return new int[] {m.getOrDefault(DifferentialOracle.Outcome.FORWARDED, 0),
                m.getOrDefault(DifferentialOracle.Outcome.REFUSED_4XX, 0),
                m.getOrDefault(DifferentialOracle.Outcome.ANSWERED_5XX, 0),
                m.getOrDefault(DifferentialOracle.Outcome.CLOSED, 0) + m.getOrDefault(DifferentialOracle.Outcome.OTHER, 0),
                m.getOrDefault(DifferentialOracle.Outcome.WAITING, 0)};
    }

    private static String slashed(int[] values) {
        return java.util.Arrays.stream(values).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(" / "));
    }
}
