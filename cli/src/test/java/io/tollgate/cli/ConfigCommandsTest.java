package io.tollgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.shared.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code apply} and {@code diff} refuse an invalid file on their own, with every error's line and JSON Pointer and
 * exit 2, before any request: token-api here is a port that would be refused, which would be exit 1. The commands
 * against token-api itself: {@code OperatorCliStackIT}.
 */
class ConfigCommandsTest {
    private static final String INVALID = """
            apis:
              - name: orders
                pathPrefix: /orders/
                upstreams: [http://127.0.0.1:9200]
                scopes: {"*": read}
            plans:
              - id: cheap
                api: orders
                name: Cheap
                scopes: [read]
                limits:
                  perMinute: -1
                grants: [password]
              - id: lost
                api: nowhere
                name: Lost
                scopes: [read]
                grants: [password]
            """;

    @TempDir
    Path dir;

    @Test
    void anInvalidFileIsRefusedWithEveryErrorAndItsLineAndNothingIsSent() throws Exception {
        Path file = dir.resolve("tollgate.yaml");
        Files.writeString(file, INVALID);
        for (String command : new String[]{"apply", "diff"}) {
            CliRunner.Result result = CliRunner.run(env(), "--token-api", "http://127.0.0.1:" + closedPort(),
                    command, "-f", file.toString());

            assertThat(result.code()).isEqualTo(2);
            assertThat(result.err()).contains("is invalid (2 errors), nothing was sent to token-api")
                    .contains(file + ":12: /plans/0/limits/perMinute: must have a minimum value of 0")
                    .contains(file + ":15: /plans/1/api: no API 'nowhere' in this file")
                    .doesNotContain("not reachable");
        }
    }

    @Test
    void aYamlSyntaxErrorOrAMissingFileIsOneClearLine() throws IOException {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "apis:\n  - name: a\n    name: b\n");

        CliRunner.Result duplicate = CliRunner.run(env(), "apply", "-f", broken.toString());
        assertThat(duplicate.code()).isEqualTo(2);
        assertThat(duplicate.err()).contains(broken + ":3: /: not valid YAML/JSON").contains("name");

        CliRunner.Result missing = CliRunner.run(env(), "diff", "-f", dir.resolve("none.yaml").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("none.yaml: no such file");
    }

    @Test
    void changesPrintAsAPersonReadsThem() throws Exception {
        ObjectMapper json = Json.mapper();
        var changes = json.readTree("""
                [{"kind": "api", "name": "orders", "change": "created", "before": null, "after": {}},
                 {"kind": "plan", "name": "basic", "change": "updated",
                  "before": {"limits": {"perMinute": 60, "perDay": 0}, "scopes": ["read"], "requiredGroup": null},
                  "after": {"limits": {"perMinute": 120, "perDay": 0}, "scopes": ["read", "write"],
                            "requiredGroup": "gold"}},
                 {"kind": "plan", "name": "premium", "change": "deleted", "before": {}, "after": null}]""");
        var out = new java.io.StringWriter();

        ConfigChanges.print(changes, new java.io.PrintWriter(out));

        assertThat(out.toString().lines()).containsExactly(
                "+ api orders",
                "~ plan basic",
                "    limits.perMinute: 60 -> 120",
                "    scopes: [\"read\"] -> [\"read\",\"write\"]",
                "    requiredGroup: null -> gold",
                "- plan premium");
    }

    private static Map<String, String> env() {
        return Map.of("TOLLGATE_OPERATOR_PASSWORD", "ops-secret");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
