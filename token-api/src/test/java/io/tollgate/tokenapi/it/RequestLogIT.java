package io.tollgate.tokenapi.it;

import io.dropwizard.testing.ConfigOverride;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.tokenapi.TokenApiTestStack;
import io.tollgate.tokenapi.requestlog.LineRequestLogFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.tollgate.tokenapi.it.Http.params;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped request log ({@code type: line}, {@link LineRequestLogFactory}) writes one line per request,
 * answered before Jersey or by it, in the common log format without the query string: a refresh token sent in
 * the URL by mistake is not in the file, nor is any token of the answers. The test points the shipped config's
 * appender at a file.
 */
class RequestLogIT {
    static final Path FILE = tempFile();

    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("request-log-it").config(
            ConfigOverride.config("server.requestLog.appenders[0].type", "file"),
            ConfigOverride.config("server.requestLog.appenders[0].currentLogFilename", FILE.toString()),
            ConfigOverride.config("server.requestLog.appenders[0].archive", "false")).build();

    static Path tempFile() {
        try {
            return Files.createTempDirectory("request-log-it").resolve("requests.log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file's lines once it holds {@code count} of them (the appender writes asynchronously). */
    static List<String> lines(int count) throws Exception {
        List<String> lines = List.of();
        for (int i = 0; i < 200 && lines.size() < count; i++) {
            Thread.sleep(50);
            lines = Files.exists(FILE) ? Files.readAllLines(FILE, StandardCharsets.UTF_8).stream()
                    .filter(l -> l.contains("/oauth2/token")).toList() : List.of();
        }
        return lines;
    }

    @Test
    void oneLinePerRequestWithoutQueryOrTokens() throws Exception {
        Http http = new Http(STACK.baseUrl()).unrecorded();
        Http.Answer login = http.postForm("/oauth2/token", params("grant_type", "password",
                "client_id", DemoRegistry.CLIENT_ID, "username", "alice", "password", "alice-secret"));
        assertThat(login.status()).isEqualTo(200);
        String refresh = login.text("refresh_token");
        Http.Answer misplaced = http.postForm("/oauth2/token?refresh_token=" + refresh,
                params("grant_type", "refresh_token", "client_id", DemoRegistry.CLIENT_ID, "refresh_token", refresh));
        assertThat(misplaced.status()).isEqualTo(200);
        Http.Answer get = http.get("/oauth2/token");
        assertThat(get.status()).isEqualTo(405);

        List<String> lines = lines(3);
        assertThat(lines).hasSize(3);
        String pattern = "^127\\.0\\.0\\.1 - \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}] "
                + "\"%s /oauth2/token HTTP/1\\.1\" %d %d \\d+$";
        assertThat(lines.get(0)).matches(String.format(pattern, "POST", 200, login.response().body().length()));
        assertThat(lines.get(1)).matches(String.format(pattern, "POST", 200, misplaced.response().body().length()));
        assertThat(lines.get(2)).matches(String.format(pattern, "GET", 405, get.response().body().length()));
        String all = Files.readString(FILE, StandardCharsets.UTF_8);
        for (String secret : List.of(refresh, login.text("access_token"), misplaced.text("refresh_token"),
                misplaced.text("access_token"), "alice-secret")) {
            assertThat(all).doesNotContain(secret);
        }
    }
}
