package io.tollgate.tokenapi.portal;

import io.tollgate.tokenapi.TokenApiTestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portal on a real TLS connector (Jetty, a certificate made by the JDK's keytool): the session cookie carries
 * {@code Secure} there, next to {@code HttpOnly} and {@code SameSite=Strict} (PortalIT checks plain HTTP, where a
 * browser would refuse a Secure cookie).
 */
class PortalTlsIT {
    static final String PASSWORD = "changeit-tls-it";
    static final Path KEYSTORE = keystore();

    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("portal-tls-it").tls(KEYSTORE, PASSWORD).build();
    static final String BASE = STACK.baseUrl();

    /** A self-signed certificate for 127.0.0.1, made by the JDK's own keytool. */
    static Path keystore() {
        try {
            Path dir = Files.createTempDirectory("portal-tls-it");
            Path store = dir.resolve("server.p12");
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-J-Xmx64m", "-genkeypair", "-alias", "portal", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD)
                    .redirectErrorStream(true).start();
            String out = new String(keytool.getInputStream().readAllBytes());
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + out);
            }
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Trusts exactly the test certificate (no trust-all): hostname and chain are verified as for any client. */
    static HttpClient client() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(KEYSTORE)) {
            trust.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void overTlsTheSessionCookieIsSecureHttpOnlyAndSameSiteStrict() throws Exception {
        HttpClient http = client();
        HttpResponse<String> signup = post(http, "signup",
                "{\"email\":\"tess.tls@example.test\",\"password\":\"tess-portal-pass\"}");
        assertThat(signup.statusCode()).as(signup.body()).isEqualTo(202);
        assertThat(signup.headers().firstValue("Set-Cookie")).isEmpty();
        String token = STACK.outbox().awaitToken("tess.tls@example.test");
        assertThat(STACK.outbox().to("tess.tls@example.test").get(0)).contains("https://127.0.0.1:");
        for (String[] call : List.of(new String[] {"verify", "{\"token\":\"" + token + "\",\"password\":\"tess-portal-pass\"}"},
                new String[] {"login", "{\"email\":\"tess.tls@example.test\",\"password\":\"tess-portal-pass\"}"})) {
            HttpResponse<String> r = post(http, call[0], call[1]);
            assertThat(r.statusCode()).as(call[0] + ": " + r.body()).isEqualTo(200);
            String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).as(call[0]).contains("; Secure").contains("; HttpOnly").contains("; SameSite=Strict")
                    .contains("; Path=/portal");
        }
    }

    static HttpResponse<String> post(HttpClient http, String action, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(BASE + "/portal/api/" + action))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
