package io.tollgate.ops.observability;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.shared.json.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every query of the shipped Grafana dashboard, evaluated by a real Prometheus engine ({@code promtool test rules},
 * Debian's {@code prometheus} package, which {@code .ci/run} installs) over two nodes of every service, each
 * exposing the application series of its {@code /prometheus} scrape ({@code src/test/resources/observability/scrape-*.prom}:
 * the labelled counters and histograms of shared's {@code Signals} and the Dropwizard bridge's series, as in
 * MissionIT's {@code target/mission-scrapes/*-after.prom}). Each query must evaluate
 * without error (a {@code rate()} over a regex on {@code __name__} fails with "vector cannot contain metrics with
 * the same labelset") to exactly one series, which its own legend names. The revocation propagation and consumer lag
 * lines are also evaluated over series of known values, against the figures they must show. MissionIT checks the
 * same names against the live services' scrapes.
 */
class DashboardQueriesTest {
    private static final List<String> SERVICES = List.of("token-api", "gateway", "policy-worker", "revocation-stream");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{([^}]*)})? \\S+$");
    private static final Path WORK = Path.of("target", "promtool");

    @Test
    void everyQueryEvaluatesToOneNamedSeriesOverTwoNodes() throws Exception {
        List<Dashboard.Target> targets = Dashboard.targets(Dashboard.FILE);
        assertThat(targets).hasSizeGreaterThan(20);
        for (Dashboard.Target target : targets) {
            assertThat(target.expr()).as(target.toString()).doesNotContain("__name__");
            assertThat(target.legend()).as(target.toString()).isNotBlank().doesNotContain("{{");
            assertThat(Dashboard.metricNames(target.expr())).as(target.toString()).isNotEmpty();
        }

        Result result = promtool(WORK.resolve("dashboard"), targets.stream().map(Dashboard.Target::expr).toList());

        assertThat(result.exitCode()).as("promtool test rules:%n%s", result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    /**
     * The propagation and lag panels' lines compute what they say over two nodes of each service: the cluster-wide
     * delay quantiles from both nodes' histogram buckets added together, revocations projected and invalidations
     * applied per second summed over nodes, each service's consumer lag summed over its nodes, and the largest lag
     * of any node of either service.
     */
    @Test
    void thePropagationAndLagPanelsComputeTheirFiguresOverTwoNodes() throws Exception {
        Map<String, String> series = new LinkedHashMap<>();
        // Revocations a minute at or below each bucket's bound: node-1 projects 60 a minute, node-2 30, slower.
        // Together: 30, 60, 76, 90 of 90 a minute, so the p50 (45th) lies in (0.01, 0.025] and the p99 (89.1st)
        // in (0.05, 0.1]; the slowest node alone would put its p50 in (0.05, 0.1].
        String[][] buckets = {{"0.01", "30", "0"}, {"0.025", "54", "6"}, {"0.05", "60", "16"}, {"0.1", "60", "30"},
            {"+Inf", "60", "30"}};
        for (String[] bucket : buckets) {
            node(series, "revocation-stream", "tollgate_revocation_propagation_seconds_bucket{le=\"" + bucket[0] + "\"}",
                    "0+" + bucket[1] + "x20", "0+" + bucket[2] + "x20");
        }
        node(series, "revocation-stream", "tollgate_revocation_propagation_seconds_count", "0+60x20", "0+30x20");
        node(series, "gateway", "gateway_token_state_invalidations_total", "0+120x20", "0+60x20");
        node(series, "gateway", "gateway_token_state_cache_misses_total", "0+30x20", "0+30x20");
        node(series, "revocation-stream", "streams_consumer_lag", "3+0x20", "11+0x20");
        node(series, "policy-worker", "policy_consumer_lag", "5+0x20", "7+0x20");

        Map<String, Double> lines = new LinkedHashMap<>();
        lines.put("revocation to Redis p50", 0.01 + (0.025 - 0.01) * (45.0 - 30) / (60 - 30));
        lines.put("revocation to Redis p99", 0.05 + (0.1 - 0.05) * (89.1 - 76) / (90 - 76));
        lines.put("revocations projected/s", 1.5);
        lines.put("invalidations applied", 3.0);
        lines.put("token-state cache misses", 1.0);
        lines.put("policy worker consumer lag (records)", 12.0);
        lines.put("revocation-stream consumer lag (records)", 14.0);
        lines.put("largest consumer lag, any service and node (records)", 11.0);
        List<Dashboard.Target> targets = Dashboard.targets(Dashboard.FILE);
        Map<String, Double> expected = new LinkedHashMap<>();
        List<String> exprs = new ArrayList<>();
        lines.forEach((legend, value) -> {
            String expr = targets.stream().filter(t -> t.legend().equals(legend)).findFirst()
                    .orElseThrow(() -> new AssertionError("no dashboard line " + legend)).expr();
            exprs.add(expr);
            // 1 when the line shows the figure; promtool compares floats exactly, and an interpolated quantile of
            // per-second rates differs from the figure in its last bits
            expected.put("abs((" + expr + ") - " + value + ") < bool 1e-9", 1.0);
        });

        Result result = promtool(WORK.resolve("figures"), series, exprs, expected);

        assertThat(result.exitCode()).as("promtool test rules:%n%s", result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    private static void node(Map<String, String> series, String service, String sample, String node1, String node2) {
        Matcher m = SAMPLE.matcher(sample + " 0");
        assertThat(m.matches()).as(sample).isTrue();
        series.put(series(m.group(1), m.group(2), service, "node-1"), node1);
        series.put(series(m.group(1), m.group(2), service, "node-2"), node2);
    }

    @Test
    void theCheckCatchesTheNameCollisionOfARateOverANameRegex() throws Exception {
        Result result = promtool(WORK.resolve("collision"),
                List.of("sum by (__name__) (rate({__name__=~\"gateway_token_state_.*_total\"}[1m]))"));

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("vector cannot contain metrics with the same labelset");
    }

    private record Result(int exitCode, String output) {
    }

    /** Writes one recording rule and one expression test per query, and runs promtool's check and unit test. */
    private static Result promtool(Path dir, List<String> exprs) throws Exception {
        Map<String, String> series = new LinkedHashMap<>();
        for (String service : SERVICES) {
            for (String line : Files.readAllLines(Path.of("src", "test", "resources", "observability",
                    "scrape-" + service + ".prom"), StandardCharsets.UTF_8)) {
                Matcher m = SAMPLE.matcher(line);
                if (line.startsWith("#") || !m.matches()) {
                    continue;
                }
                for (String node : List.of("node-1", "node-2")) {
                    // Rising by one a minute: counters count, gauges and quantiles vary, nothing resets.
                    series.put(series(m.group(1), m.group(2), service, node), "1+1x20");
                }
            }
        }
        assertThat(series).as("input series").hasSizeGreaterThan(100);
        // Exactly one series (the panel line), with a value: the metric exists and the query aggregates.
        Map<String, Double> expected = new LinkedHashMap<>();
        exprs.forEach(expr -> expected.put("count(" + expr + ")", 1.0));
        return promtool(dir, series, exprs, expected);
    }

    /** A series selector as promtool reads it: the scrape's labels plus the target's job and instance. */
    private static String series(String name, String labels, String service, String node) {
        return name + "{" + (labels == null || labels.isEmpty() ? "" : labels + ",") + "job=\"" + service
                + "\",instance=\"" + node + "\"}";
    }

    /**
     * Runs promtool's rule check on {@code rules} (one recording rule each) and its unit test: {@code series}
     * (selector to promtool's expanding notation, one sample a minute) evaluated at 10 minutes, where each of
     * {@code expected}'s expressions must give exactly one series, without labels, of that value.
     */
    private static Result promtool(Path dir, Map<String, String> series, List<String> rules,
                                   Map<String, Double> expected) throws Exception {
        Files.createDirectories(dir);
        ObjectNode rulesFile = Json.mapper().createObjectNode();
        ArrayNode ruleList = rulesFile.putArray("groups").addObject().put("name", "dashboard").putArray("rules");
        for (int i = 0; i < rules.size(); i++) {
            ruleList.addObject().put("record", "dashboard:query:" + i).put("expr", rules.get(i));
        }
        ObjectNode testFile = Json.mapper().createObjectNode();
        testFile.putArray("rule_files").add("rules.yml");
        testFile.put("evaluation_interval", "1m");
        ObjectNode test = testFile.putArray("tests").addObject().put("interval", "1m");
        ArrayNode input = test.putArray("input_series");
        series.forEach((selector, values) -> input.addObject().put("series", selector).put("values", values));
        ArrayNode exprTests = test.putArray("promql_expr_test");
        expected.forEach((expr, value) -> exprTests.addObject().put("expr", expr).put("eval_time", "10m")
                .putArray("exp_samples").addObject().put("labels", "{}").put("value", value));
        // JSON is YAML: promtool reads both files as they are.
        Json.mapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve("rules.yml").toFile(), rulesFile);
        Json.mapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve("test.yml").toFile(), testFile);

        Result check = run(dir, "check", "rules", "rules.yml");
        if (check.exitCode() != 0) {
            return check;
        }
        return run(dir, "test", "rules", "test.yml");
    }

    private static Result run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(promtoolBinary()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("promtool finished").isTrue();
        return new Result(process.exitValue(), output);
    }

    private static String promtoolBinary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError("promtool not found on PATH: this test evaluates the Grafana dashboard's queries "
                + "with a real Prometheus engine; install Debian's prometheus package (apt-get install "
                + "--no-install-recommends prometheus), as .ci/run does");
    }
}
