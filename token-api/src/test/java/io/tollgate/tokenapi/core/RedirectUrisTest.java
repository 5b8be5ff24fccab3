package io.tollgate.tokenapi.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RedirectUrisTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com/oauth2/callback", "https://app.example.com:8443/cb?x=1",
            "io.tollgate.demo:/oauth2redirect", "com.example.app:/cb", "http://127.0.0.1/callback",
            "http://127.0.0.1:8765/callback", "http://[::1]/callback", "http://[::1]:9000/cb"})
    void registrable(String uri) {
        assertThat(RedirectUris.problem(uri)).as(uri).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/relative/path", "https://app.example.com/cb#frag", "https://*.example.com/cb",
            "https://app.example.com/*", "http://app.example.com/cb", "http://localhost/cb",
            "http://localhost:8080/cb", "http://10.0.0.1/cb", "http://127.0.0.2/cb", "myapp:/cb", "javascript:alert(1)",
            "data:text/html,x", "file:///etc/passwd", "https://user:pw@app.example.com/cb", "https:///cb",
            "https://app.example.com/c b", "HTTPS://app.example.com/cb", "io.tollgate.demo:"})
    void refused(String uri) {
        assertThat(RedirectUris.problem(uri)).as(uri).isPresent();
    }

    @Test
    void longUrisAreRefused() {
        assertThat(RedirectUris.problem("https://app.example.com/" + "a".repeat(RedirectUris.MAX_LENGTH))).isPresent();
    }

    @Test
    void matchingIsExactExceptTheLoopbackPort() {
        List<String> registered = List.of("io.tollgate.demo:/oauth2redirect", "http://127.0.0.1/callback",
                "https://app.example.com/cb", "http://[::1]:7000/cb");
        assertThat(RedirectUris.matches(registered, "io.tollgate.demo:/oauth2redirect")).isTrue();
        assertThat(RedirectUris.matches(registered, "https://app.example.com/cb")).isTrue();
        assertThat(RedirectUris.matches(registered, "http://127.0.0.1/callback")).isTrue();
        assertThat(RedirectUris.matches(registered, "http://127.0.0.1:54321/callback")).isTrue();
        assertThat(RedirectUris.matches(registered, "http://[::1]:1234/cb")).isTrue();

        assertThat(RedirectUris.matches(registered, "io.tollgate.demo:/oauth2redirect/x")).isFalse();
        assertThat(RedirectUris.matches(registered, "io.tollgate.demo:/OAuth2redirect")).isFalse();
        assertThat(RedirectUris.matches(registered, "https://app.example.com/cb/")).isFalse();
        assertThat(RedirectUris.matches(registered, "https://app.example.com/cb?x=1")).isFalse();
        assertThat(RedirectUris.matches(registered, "https://app.example.com:443/cb")).isFalse();
        assertThat(RedirectUris.matches(registered, "https://app.example.com/cb#x")).isFalse();
        assertThat(RedirectUris.matches(registered, "http://127.0.0.1:54321/callback2")).isFalse();
        assertThat(RedirectUris.matches(registered, "http://127.0.0.1:54321/callback?x")).isFalse();
        assertThat(RedirectUris.matches(registered, "http://localhost:54321/callback")).isFalse();
        assertThat(RedirectUris.matches(registered, "http://[::1]:54321/callback")).isFalse();
        assertThat(RedirectUris.matches(registered, "https://127.0.0.1:54321/callback")).isFalse();
        assertThat(RedirectUris.matches(registered, null)).isFalse();
        assertThat(RedirectUris.matches(List.of(), "https://app.example.com/cb")).isFalse();
    }
}
