package io.tollgate.shared.idp;

import io.dropwizard.util.Duration;
import io.tollgate.shared.crypto.Secret;
import io.tollgate.testkit.HttpIdentityProviderServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP identity provider client against a real HTTP server playing the provider. */
class HttpIdentityClientTest {
    private final HttpIdentityProviderServer idp = new HttpIdentityProviderServer();
    private HttpIdentityClient client;

    @BeforeEach
    void start() {
        idp.start();
        client = new HttpIdentityClient(settings(2));
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    private HttpIdentityProviderSettings settings(int retries) {
        HttpIdentityProviderSettings settings = new HttpIdentityProviderSettings();
        settings.url = URI.create(idp.checkUrl());
        settings.profileUrl = idp.profileUrl();
        // generous: only aSlowProviderIsUnavailable tests a timeout, and a loaded machine must not fake one
        settings.connectTimeout = Duration.seconds(5);
        settings.requestTimeout = Duration.seconds(5);
        settings.retries = retries;
        return settings;
    }

    @Test
    void rightCredentialsGiveTheProfileAndWrongOnesNothing() {
        assertThat(client.check("alice", Secret.of("alice-secret"))).hasValueSatisfying(p -> {
            assertThat(p.subject()).isEqualTo("alice");
            assertThat(p.groups()).containsExactly("mobile-users");
            assertThat(p.disabled()).isFalse();
            assertThat(p.licenseExpires()).isEqualTo(HttpIdentityProviderServer.VALID_LICENSE);
        });
        assertThat(client.check("alice", Secret.of("wrong"))).as("401").isEmpty();
        assertThat(client.check("nobody", Secret.of("x"))).isEmpty();
        idp.answer(403, "{}");
        assertThat(client.check("alice", Secret.of("alice-secret"))).as("403").isEmpty();
    }

    @Test
    void profilesAreReadByTheEncodedSubjectAndAnUnknownUserIsEmpty() {
        assertThat(client.profile("dave")).hasValueSatisfying(p ->
                assertThat(p.licenseExpires()).isEqualTo(HttpIdentityProviderServer.EXPIRED_LICENSE));
        idp.put(new HttpIdentityProviderServer.User("ann marie/ü", "pw", List.of(), true, null));
        assertThat(client.profile("ann marie/ü")).hasValueSatisfying(p -> {
            assertThat(p.subject()).isEqualTo("ann marie/ü");
            assertThat(p.disabled()).isTrue();
            assertThat(p.licenseExpires()).as("null = no licence").isNull();
        });
        assertThat(client.profile("nobody")).as("404").isEmpty();
        assertThat(idp.profileReads()).isEqualTo(3);
        assertThat(client.retries()).isZero();
    }

    @Test
    void aServerErrorIsUnavailableAfterTheRetriesOfAProfileRead() {
        idp.failWith(503);
        assertThatThrownBy(() -> client.profile("alice")).isInstanceOf(IdentityProviderUnavailableException.class)
                .hasMessageContaining("503");
        assertThat(idp.profileReads()).as("one read and two retries").isEqualTo(3);
        assertThat(client.retries()).isEqualTo(2);
    }

    @Test
    void aPasswordCheckIsNeverRetried() {
        idp.failWith(500);
        assertThatThrownBy(() -> client.check("alice", Secret.of("alice-secret")))
                .isInstanceOf(IdentityProviderUnavailableException.class).hasMessageContaining("500");
        assertThat(idp.checks()).isEqualTo(1);
        assertThat(client.retries()).isZero();
    }

    @Test
    void aRetryThatSucceedsGivesTheAnswer() {
        idp.failNext(2, 502);
        assertThat(client.profile("bob")).isPresent();
        assertThat(idp.profileReads()).isEqualTo(3);
        assertThat(client.retries()).isEqualTo(2);
    }

    @Test
    void aSlowProviderIsUnavailable() {
        idp.delay(java.time.Duration.ofSeconds(3));
        HttpIdentityProviderSettings settings = settings(0);
        settings.requestTimeout = Duration.milliseconds(500);
        client = new HttpIdentityClient(settings);
        assertThatThrownBy(() -> client.profile("alice")).isInstanceOf(IdentityProviderUnavailableException.class)
                .hasMessageContaining("HttpTimeoutException");
        assertThatThrownBy(() -> client.check("alice", Secret.of("alice-secret")))
                .isInstanceOf(IdentityProviderUnavailableException.class);
    }

    @Test
    void aRefusedConnectionIsUnavailable() {
        idp.stop();
        assertThatThrownBy(() -> client.check("alice", Secret.of("alice-secret")))
                .isInstanceOf(IdentityProviderUnavailableException.class);
        assertThatThrownBy(() -> client.profile("alice")).isInstanceOf(IdentityProviderUnavailableException.class);
        assertThatThrownBy(client::ping).isInstanceOf(IdentityProviderUnavailableException.class);
    }

    @Test
    void anAnswerThatIsNotAProfileIsUnavailableNeverAVerdict() {
        for (String body : List.of("<html>ok</html>", "[]", "\"alice\"", "{\"groups\":[\"mobile-users\"]}",
                "{\"sub\":\"\"}", "{\"sub\":42}", "{\"sub\":\"al\\u0000ice\"}", "{\"sub\":\"" + "a".repeat(257) + "\"}",
                "{\"sub\":\"alice\",\"disabled\":\"no\"}", "{\"sub\":\"alice\",\"licenseExpires\":\"next year\"}",
                "{\"sub\":\"alice\",\"licenseExpires\":20270101}")) {
            idp.answer(200, body);
            assertThatThrownBy(() -> client.check("alice", Secret.of("alice-secret"))).as(body)
                    .isInstanceOf(IdentityProviderUnavailableException.class);
            assertThatThrownBy(() -> client.profile("alice")).as(body)
                    .isInstanceOf(IdentityProviderUnavailableException.class);
        }
    }

    @Test
    void fieldNamesAndTheAuthorizationHeaderAreConfigurable() {
        HttpIdentityProviderSettings settings = settings(0);
        settings.authorization = Secret.of("Bearer idp-key");
        idp.requireAuthorization("Bearer idp-key");
        assertThat(new HttpIdentityClient(settings).check("alice", Secret.of("alice-secret"))).as("header sent")
                .isPresent();
        settings.subjectField = "id";
        settings.groupsField = "roles";
        settings.disabledField = "locked";
        settings.licenseField = "licence";
        idp.answer(200, "{\"id\":\"u-1\",\"roles\":[\"a\"],\"locked\":true,\"licence\":\"2027-01-01T00:00:00Z\"}");
        assertThat(new HttpIdentityClient(settings).profile("u-1")).hasValue(new IdentityProfile("u-1",
                java.util.Set.of("a"), true, Instant.parse("2027-01-01T00:00:00Z")));
        idp.recover();
        assertThat(client.check("alice", Secret.of("alice-secret"))).as("no header: the provider refuses").isEmpty();
        assertThat(settings.authorization.toString()).isEqualTo("[REDACTED]");
    }

    @Test
    void withoutAProfileUrlProfilesCannotBeRead() {
        HttpIdentityProviderSettings settings = settings(0);
        settings.profileUrl = null;
        assertThat(new HttpIdentityClient(settings).readsProfiles()).isFalse();
        assertThatThrownBy(() -> new HttpIdentityClient(settings).profile("alice"))
                .isInstanceOf(IllegalStateException.class);
    }
}
