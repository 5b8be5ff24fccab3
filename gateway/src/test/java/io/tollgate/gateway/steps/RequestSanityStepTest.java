package io.tollgate.gateway.steps;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.tollgate.gateway.core.Exchange;
import io.tollgate.gateway.core.Rejection;
import io.tollgate.gateway.core.Stage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestSanityStepTest {
    private final RequestSanityStep step = new RequestSanityStep();

    private static Exchange exchange(String uri, String authorization) {
        HttpHeaders headers = new DefaultHttpHeaders();
        if (authorization != null) {
            headers.add("Authorization", authorization);
        }
        return new Exchange("GET", uri, headers, "id", 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/mobile/../admin", "/mobile/%2e%2e/admin", "/mobile/.%2E/x", "/mobile/%2E%2e",
            "/mobile/..%2fadmin", "/mobile/..%5cadmin", "/mobile/%252e%252e/admin", "/mobile/./x", "/mobile/%zz",
            // path parameters, NUL, overlong UTF-8 dots, raw backslashes and non-URI chars (as GatewayFuzzIT sends)
            "/mobile/..;/admin", "/mobile/..;x%2fadmin", "/mobile/%c0%ae%c0%ae/admin", "/mobile/..%00/x",
            "/mobile/a\\..\\b", "/mobile/a b", "/mobile/\u00e9", "/mobile/a%0d%0aX-Injected:%201"})
    void dotSegmentsAndBadEscapesAre400(String uri) {
        Rejection rejection = rejection(exchange(uri, "Bearer abc"));
        assertThat(rejection.status()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/mobile/a?access_token=x", "/mobile/a?b=1&ACCESS_TOKEN=x", "/mobile/a?access%5Ftoken=x",
            "/mobile/a?access_token[]=x", "/mobile/a?Access_Token%5B%5D=x"})
    void tokenInQueryIsInvalidRequest(String uri) {
        Rejection rejection = rejection(exchange(uri, null));
        assertThat(rejection.status()).isEqualTo(400);
        assertThat(rejection.error()).isEqualTo("invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer", "Bearer ", "Bearer a b", "Bearer ab\"c", "Bearer =abc", "Bearer abc def"})
    void malformedAuthorizationIsInvalidRequest(String header) {
        Rejection rejection = rejection(exchange("/mobile/a", header));
        assertThat(rejection.status()).isEqualTo(400);
        assertThat(rejection.error()).isEqualTo("invalid_request");
    }

    @Test
    void wellFormedBearerIsExtracted() {
        Exchange ex = exchange("/mobile/a/b.json?x=1", "bearer eyJ.abc-_.x~+/==");
        assertThat(step.apply(ex)).isSameAs(Stage.NEXT);
        assertThat(ex.bearerToken()).isEqualTo("eyJ.abc-_.x~+/==");
    }

    @Test
    void anotherSchemeIsNoCredentials() {
        Exchange ex = exchange("/mobile/a", "Basic dXNlcjpwYXNz");
        assertThat(step.apply(ex)).isSameAs(Stage.NEXT);
        assertThat(ex.bearerToken()).isNull();
    }

    @Test
    void dotsInsideNamesAreFine() {
        assertThat(step.apply(exchange("/mobile/a..b/c.d/...", null))).isSameAs(Stage.NEXT);
    }

    private Rejection rejection(Exchange exchange) {
        Stage stage = step.apply(exchange);
        assertThat(stage).isInstanceOf(Rejection.class);
        return (Rejection) stage;
    }
}
