package io.tollgate.tokenapi.idp;

import com.sun.net.httpserver.HttpServer;
import io.dropwizard.jackson.Jackson;
import io.tollgate.shared.crypto.Secret;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The HTTP identity provider against a real HTTP server: its subject is the id the provider answers, never the
 * name as typed; a 2xx without a usable id is refused (fails closed), not a login under the typed name.
 */
class HttpIdentityProviderTest {
    static final AtomicReference<String> ANSWER = new AtomicReference<>();
    static HttpServer server;
    static HttpIdentityProvider idp;

    @BeforeAll
    static void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/check", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                String answer = ANSWER.get();
                if (answer == null) {
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
        server.start();
        HttpIdentityProviderFactory config = new HttpIdentityProviderFactory();
        config.setUrl(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/check"));
        idp = new HttpIdentityProvider(config, Jackson.newObjectMapper());
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void theSubjectIsTheProvidersIdNotTheTypedName() {
        ANSWER.set("{\"sub\":\"u-1001\",\"groups\":[\"mobile-users\"]}");
        assertThat(idp.authenticate("Alice", Secret.of("pw"))).hasValueSatisfying(identity -> {
            assertThat(identity.subject()).isEqualTo("u-1001");
            assertThat(identity.groups()).containsExactly("mobile-users");
        });
        assertThat(idp.resolve("Alice")).as("a credential-check API cannot tell before the password").isNull();
    }

    @Test
    void anAnswerWithoutAUsableIdFailsClosed() {
        for (String answer : List.of("{\"groups\":[\"mobile-users\"]}", "{\"sub\":\"\"}", "{\"sub\":\"  \"}",
                "{\"sub\":42}", "{\"sub\":null}", "{\"sub\":[\"alice\"]}", "{\"sub\":\"al\\u0000ice\"}",
                "{\"sub\":\"" + "a".repeat(257) + "\"}")) {
            ANSWER.set(answer);
            assertThatThrownBy(() -> idp.authenticate("alice", Secret.of("pw"))).as(answer)
                    .isInstanceOf(IdentityProviderUnavailableException.class);
        }
    }

    @Test
    void wrongCredentialsAreNoIdentity() {
        ANSWER.set(null);
        assertThat(idp.authenticate("alice", Secret.of("wrong"))).isEmpty();
    }
}
