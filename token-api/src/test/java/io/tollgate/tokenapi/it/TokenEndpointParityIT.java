package io.tollgate.tokenapi.it;

import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.tokenapi.TokenApiTestStack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.tollgate.tokenapi.it.Http.params;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token endpoint answers alike whichever way a request takes: {@code /oauth2/token} with a form and no
 * {@code Accept} is answered by {@code TokenEndpointFilter} before Jersey, {@code /oauth2/token/} (the same
 * resource to Jersey, not to the filter's exact mapping) by {@code TokenResource} through Jersey. Each request is
 * sent to both, and the status, every header but {@code Date}, and the body must be the same; for a 200 the body's
 * fields but the tokens themselves.
 */
class TokenEndpointParityIT {
    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("token-endpoint-parity-it").build();

    static Http http;

    @BeforeAll
    static void client() {
        http = new Http(STACK.baseUrl()).unrecorded();
    }

    /** Status, headers (names lower-cased, without {@code Date}) and body of an answer. */
    record Seen(int status, Map<String, List<String>> headers, String body) {
        static Seen of(Http.Answer answer) {
            Map<String, List<String>> headers = new TreeMap<>(answer.response().headers().map());
            headers.remove("date");
            return new Seen(answer.status(), headers, answer.response().body());
        }
    }

    static void sameBothWays(String contentType, String body, String... headers) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Seen filtered = Seen.of(http.post("/oauth2/token", contentType, bytes, headers));
        Seen jersey = Seen.of(http.post("/oauth2/token/", contentType, bytes, headers));
        assertThat(filtered).as("%s %s", contentType, body).isEqualTo(jersey);
        assertThat(filtered.status()).isBetween(400, 499);
    }

    static final String FORM = "application/x-www-form-urlencoded";

    @Test
    void refusalsAreAnsweredAlike() {
        sameBothWays(FORM, "grant_type=bogus");
        sameBothWays(FORM, "");
        sameBothWays(FORM, "grant_type=password&grant_type=password");
        sameBothWays(FORM, "grant_type=password&client_id=demo-mobile&username=alice&password=wrong");
        sameBothWays(FORM, "grant_type=password&client_id=nobody&username=alice&password=wrong");
        sameBothWays(FORM, "grant_type=refresh_token&client_id=demo-mobile&refresh_token=not-a-token");
        sameBothWays(FORM, "grant_type=refresh_token&client_id=demo-mobile&refresh_token=x", "DPoP", "not-a-jws");
        sameBothWays(FORM, "grant_type=client_credentials", "Authorization",
                Http.basic(DemoRegistry.SERVICE_CLIENT_ID, "wrong"));
        sameBothWays(FORM, "grant_type=password&resource=https%3A%2F%2Fnowhere.example&client_id=demo-mobile"
                + "&username=alice&password=alice-secret");
        sameBothWays(FORM, "a=" + "b".repeat(20_000));
        sameBothWays(FORM + "; charset=ISO-8859-1", "grant_type=bogus");
        sameBothWays(FORM + "; charset=UTF-8", "grant_type=bogus");
        sameBothWays(FORM.toUpperCase(java.util.Locale.ROOT), "grant_type=bogus", "Accept", "application/json");
        sameBothWays(FORM, "grant_type=bogus", "Accept", "*/*");
    }

    @Test
    void aGrantIsAnsweredAlike() {
        String login = "grant_type=password&client_id=" + DemoRegistry.CLIENT_ID
                + "&username=alice&password=alice-secret";
        Http.Answer filtered = http.post("/oauth2/token", FORM, login.getBytes(StandardCharsets.UTF_8));
        Http.Answer jersey = http.post("/oauth2/token/", FORM, login.getBytes(StandardCharsets.UTF_8));
        assertThat(filtered.status()).isEqualTo(200);
        Seen a = Seen.of(filtered);
        Seen b = Seen.of(jersey);
        assertThat(a.status()).isEqualTo(b.status());
        assertThat(withoutLength(a.headers())).isEqualTo(withoutLength(b.headers()));
        assertThat(a.headers()).containsEntry("cache-control", List.of("no-store"))
                .containsEntry("pragma", List.of("no-cache"))
                .containsEntry("content-type", List.of("application/json"))
                .containsEntry("content-length", List.of(Integer.toString(a.body().length())));
        List<String> fields = new java.util.ArrayList<>();
        filtered.json().fieldNames().forEachRemaining(fields::add);
        List<String> jerseyFields = new java.util.ArrayList<>();
        jersey.json().fieldNames().forEachRemaining(jerseyFields::add);
        assertThat(fields).isEqualTo(jerseyFields)
                .containsExactly("access_token", "token_type", "expires_in", "refresh_token", "scope");
        for (String same : List.of("token_type", "scope")) {
            assertThat(filtered.text(same)).isEqualTo(jersey.text(same));
        }
        String refresh = "grant_type=refresh_token&client_id=" + DemoRegistry.CLIENT_ID + "&refresh_token=";
        assertThat(http.post("/oauth2/token", FORM, (refresh + jersey.text("refresh_token"))
                .getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
        assertThat(http.post("/oauth2/token/", FORM, (refresh + filtered.text("refresh_token"))
                .getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
    }

    /** The length differs with the tokens' own lengths (a family id's, a generation's digits). */
    static Map<String, List<String>> withoutLength(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new TreeMap<>(headers);
        out.remove("content-length");
        return out;
    }
}
