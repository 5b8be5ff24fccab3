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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every query of the shipped Grafana dashboard, evaluated by a real Prometheus engine ({@code promtool test rules},
 * Debian's {@code prometheus} package, which {@code .ci/run} installs) over two nodes of every service, each
 * exposing the series the Dropwizard bridge really produces ({@code src/test/resources/observability/scrape-*.prom},
 * the application lines of MissionIT's {@code target/mission-scrapes/*-after.prom}). Each query must evaluate
 * without error (a {@code rate()} over a regex on {@code __name__} fails with "vector cannot contain metrics with
 * the same labelset") to exactly one series, which its own legend names. MissionIT checks the same names against
 * the live services' scrapes.
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

    @Test
    void theCheckCatchesTheNameCollisionOfARateOverANameRegex() throws Exception {
        Result result = promtool(WORK.resolve("collision"),
                List.of("sum by (__name__) (rate({__name__=~\"gateway_requests_.*_total\"}[1m]))"));

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("vector cannot contain metrics with the same labelset");
    }

    private record Result(int exitCode, String output) {
    }

    /** Writes one recording rule and one expression test per query, and runs promtool's check and unit test. */
    private static Result promtool(Path dir, List<String> exprs) throws Exception {
        Files.createDirectories(dir);
        ObjectNode rulesFile = Json.mapper().createObjectNode();
        ArrayNode rules = rulesFile.putArray("groups").addObject().put("name", "dashboard").putArray("rules");
        ObjectNode testFile = Json.mapper().createObjectNode();
        testFile.putArray("rule_files").add("rules.yml");
        testFile.put("evaluation_interval", "1m");
        ObjectNode test = testFile.putArray("tests").addObject().put("interval", "1m");
        ArrayNode series = test.putArray("input_series");
        for (String service : SERVICES) {
            for (String line : Files.readAllLines(Path.of("src", "test", "resources", "observability",
                    "scrape-" + service + ".prom"), StandardCharsets.UTF_8)) {
                Matcher m = SAMPLE.matcher(line);
                if (line.startsWith("#") || !m.matches()) {
                    continue;
                }
                for (String node : List.of("node-1", "node-2")) {
                    String labels = (m.group(2) == null || m.group(2).isEmpty() ? "" : m.group(2) + ",")
                            + "job=\"" + service + "\",instance=\"" + node + "\"";
                    // Rising by one a minute: counters count, gauges and quantiles vary, nothing resets.
                    series.addObject().put("series", m.group(1) + "{" + labels + "}").put("values", "1+1x20");
                }
            }
        }
        assertThat(series).as("input series").hasSizeGreaterThan(100);
        ArrayNode exprTests = test.putArray("promql_expr_test");
        for (int i = 0; i < exprs.size(); i++) {
            rules.addObject().put("record", "dashboard:query:" + i).put("expr", exprs.get(i));
            // Exactly one series (the panel line), with a value: the metric exists and the query aggregates.
            ObjectNode one = exprTests.addObject().put("expr", "count(" + exprs.get(i) + ")").put("eval_time", "10m");
            one.putArray("exp_samples").addObject().put("labels", "{}").put("value", 1);
        }
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
