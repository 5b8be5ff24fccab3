package io.tollgate.tokenapi.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.tokenapi.TokenApiTestStack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portal's bodies are records checked by Bean Validation, and every refusal keeps the portal's error shape
 * ({@code {"error": "invalid_request", "error_description": ...}}, which the portal shows): a constraint names
 * its field, a body that is no JSON object says so, and a body is only looked at after the caller proved who it
 * is. On {@code /admin}, a body that is not JSON is refused before any password is checked.
 */
class PortalRequestBodiesIT {
    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("portal-bodies-it").build();

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();
    static String cookie;
    static String csrf;

    record Answer(int status, JsonNode json, HttpResponse<String> raw) {
        String error() {
            return json.path("error").asText();
        }

        String description() {
            return json.path("error_description").asText();
        }
    }

    static Answer send(String method, String path, String contentType, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(STACK.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body()), r);
    }

    @BeforeAll
    static void operatorSession() throws Exception {
        Answer login = send("POST", "/portal/api/login", "application/json",
                "{\"email\":\"ops\",\"password\":\"ops-secret\"}");
        assertThat(login.status()).as(login.json().toString()).isEqualTo(200);
        String setCookie = login.raw().headers().firstValue("Set-Cookie").orElseThrow();
        cookie = setCookie.substring(0, setCookie.indexOf(';'));
        csrf = login.json().path("csrfToken").asText();
    }

    @Test
    void aConstraintIsA400NamingTheFieldInThePortalsShape() throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("{\"email\":\"dev@example.test\"}", "password is required");
        expected.put("{\"email\":\"\",\"password\":\"long-enough-pass\"}", "email is required");
        expected.put("{\"password\":\"\"}", "email is required");
        expected.put("{\"email\":\"" + "e".repeat(255) + "\",\"password\":\"long-enough-pass\"}", "email is too long");
        expected.put("{\"email\":\"dev@example.test\",\"password\":\"" + "p".repeat(201) + "\"}",
                "password is too long");
        expected.put("{\"email\":\"dev@example.test\",\"password\":\"short\",\"newer\":1}",
                "the password needs at least 10 characters");
        expected.put("{\"email\":\"not-an-address\",\"password\":\"long-enough-pass\"}", "invalid e-mail address");
        expected.put("", "the body must be a JSON object");
        expected.put("null", "the body must be a JSON object");
        expected.put("[]", "the body must be a JSON object");
        expected.put("{\"email\":[\"dev@example.test\"],\"password\":\"long-enough-pass\"}",
                "email is of the wrong type");
        expected.put("{\"email\":", "the body is not valid JSON");
        expected.put("{\"password\":\"long-enough-pass\",\"email\":\"dev@example.test\",\"password\":\"short\"}",
                "the password needs at least 10 characters");
        expected.put("{\"x\":" + "[".repeat(2_000) + "]".repeat(2_000) + "}", "the body is not valid JSON");
        for (Map.Entry<String, String> c : expected.entrySet()) {
            Answer a = send("POST", "/portal/api/signup", "application/json", c.getKey());
            assertThat(a.status()).as(c.getKey()).isEqualTo(400);
            assertThat(a.json().toString()).as(c.getKey()).isEqualTo(JSON.createObjectNode()
                    .put("error", "invalid_request").put("error_description", c.getValue()).toString());
            assertThat(a.raw().headers().firstValue("Cache-Control")).contains("no-store");
        }
    }

    @Test
    void aBodyThatIsNotJsonOrTooLargeIsRefusedBeforeJacksonReadsIt() throws Exception {
        Answer form = send("POST", "/portal/api/login", "application/x-www-form-urlencoded", "email=a&password=b");
        assertThat(form.status()).isEqualTo(415);
        assertThat(form.description()).isEqualTo("the body must be application/json");
        Answer huge = send("POST", "/portal/api/login", "application/json",
                "{\"email\":\"" + "h".repeat(9_000) + "\",\"password\":\"x\"}");
        assertThat(huge.status()).isEqualTo(400);
        assertThat(huge.description()).isEqualTo("the body is too large");
    }

    @Test
    void theCallerIsCheckedBeforeItsBody() throws Exception {
        Answer anonymous = send("POST", "/portal/api/apps", "text/plain", "not json");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.error()).isEqualTo("unauthorized");
        Answer noCsrf = send("POST", "/portal/api/apps", "application/json", "[]", "Cookie", cookie);
        assertThat(noCsrf.status()).isEqualTo(403);
        assertThat(noCsrf.error()).isEqualTo("csrf_token_invalid");
        Answer wrongOperator = send("POST", "/portal/api/admin/subscriptions/none/approve", "application/json", "[]",
                "Authorization", basic("wrong-password"), "Cookie", cookie, "X-CSRF-Token", csrf);
        assertThat(wrongOperator.status()).isEqualTo(401);
        assertThat(wrongOperator.raw().headers().firstValue("WWW-Authenticate"))
                .contains("Basic realm=\"tollgate-admin\", charset=\"UTF-8\"");
    }

    @Test
    void aDecisionNamesAWholeVersion() throws Exception {
        String[] auth = {"Cookie", cookie, "X-CSRF-Token", csrf};
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("{\"planId\":\"gold\"}", "version is required: the subscription version that was reviewed");
        expected.put("{\"planId\":\"gold\",\"version\":-1}",
                "version is required: the subscription version that was reviewed");
        expected.put("{\"planId\":\"gold\",\"version\":2.5}", "version is of the wrong type");
        expected.put("{\"planId\":\"gold\",\"version\":\"2\"}", "version is of the wrong type");
        expected.put("{\"planId\":\"gold\",\"version\":99999999999999999999}", "version is of the wrong type");
        expected.put("{\"version\":2}", "planId is required");
        for (Map.Entry<String, String> c : expected.entrySet()) {
            Answer a = send("POST", "/portal/api/admin/subscriptions/none/approve", "application/json", c.getKey(),
                    auth);
            assertThat(a.status()).as(c.getKey()).isEqualTo(400);
            assertThat(a.description()).as(c.getKey()).isEqualTo(c.getValue());
        }
        Answer unknown = send("POST", "/portal/api/admin/subscriptions/none/approve", "application/json",
                "{\"planId\":\"gold\",\"version\":2}", auth);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error()).isEqualTo("not_found");
    }

    @Test
    void anOperatorChangeThatIsNotJsonIs415BeforeAnyPasswordIsChecked() throws Exception {
        Answer form = send("POST", "/admin/users/someone/revoke", "application/x-www-form-urlencoded", "reason=x",
                "Authorization", basic("wrong-password"));
        assertThat(form.status()).isEqualTo(415);
        assertThat(form.description()).isEqualTo("the body must be application/json");
        Answer wrong = send("GET", "/admin/users/blocked", null, null, "Authorization", basic("wrong-password"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().toString())
                .isEqualTo("{\"error\":\"unauthorized\",\"error_description\":\"operator authentication required\"}");
        assertThat(wrong.raw().headers().firstValue("WWW-Authenticate"))
                .contains("Basic realm=\"tollgate-admin\", charset=\"UTF-8\"");
        Answer right = send("GET", "/admin/users/blocked", null, null, "Authorization", basic("ops-secret"));
        assertThat(right.status()).isEqualTo(200);
    }

    static String basic(String password) {
        return "Basic " + Base64.getEncoder().encodeToString(("ops:" + password).getBytes(StandardCharsets.UTF_8));
    }
}
