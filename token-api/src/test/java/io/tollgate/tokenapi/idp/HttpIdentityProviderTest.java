package io.tollgate.tokenapi.idp;

import io.tollgate.shared.crypto.Secret;
import io.tollgate.shared.idp.HttpIdentityClient;
import io.tollgate.testkit.HttpIdentityProviderServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The HTTP identity provider against a real HTTP server: its subject is the id the provider answers, never the
 * name as typed; a 2xx without a usable id is refused (fails closed), not a login under the typed name; a disabled
 * or unknown user is no identity, at login and on lookup.
 */
class HttpIdentityProviderTest {
    private final HttpIdentityProviderServer server = new HttpIdentityProviderServer();
    private HttpIdentityProvider idp;

    @BeforeEach
    void start() {
        server.start();
        idp = new HttpIdentityProvider(new HttpIdentityClient(config(true)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpIdentityProviderFactory config(boolean profiles) {
        HttpIdentityProviderFactory config = new HttpIdentityProviderFactory();
        config.url = URI.create(server.checkUrl());
        if (profiles) {
            config.profileUrl = server.profileUrl();
        }
        config.retries = 0;
        return config;
    }

    private Optional<Identity> login(String user, String password) {
        return idp.authenticate(idp.find(user), Secret.of(password));
    }

    @Test
    void theSubjectIsTheProvidersIdNotTheTypedName() {
        server.answer(200, "{\"sub\":\"u-1001\",\"groups\":[\"mobile-users\"]}");
        assertThat(login("Alice", "pw")).hasValueSatisfying(identity -> {
            assertThat(identity.subject()).isEqualTo("u-1001");
            assertThat(identity.groups()).containsExactly("mobile-users");
        });
        assertThat(idp.find("Alice")).as("a credential-check API cannot tell before the password")
                .isEqualTo(Candidate.unresolved("Alice"));
    }

    @Test
    void anAnswerWithoutAUsableIdFailsClosed() {
        for (String answer : List.of("{\"groups\":[\"mobile-users\"]}", "{\"sub\":\"\"}", "{\"sub\":\"  \"}",
                "{\"sub\":42}", "{\"sub\":null}", "{\"sub\":[\"alice\"]}", "{\"sub\":\"al\\u0000ice\"}",
                "{\"sub\":\"" + "a".repeat(257) + "\"}")) {
            server.answer(200, answer);
            assertThatThrownBy(() -> login("alice", "pw")).as(answer)
                    .isInstanceOf(IdentityProviderUnavailableException.class);
        }
    }

    @Test
    void wrongCredentialsAreNoIdentity() {
        assertThat(login("alice", "wrong")).isEmpty();
        assertThat(login("alice", "alice-secret")).isPresent();
    }

    @Test
    void aDisabledUserIsNoIdentityAtLoginNorOnLookup() {
        UserLookup found = idp.lookup("alice");
        assertThat(found.outcome()).isEqualTo(UserLookup.Outcome.FOUND);
        assertThat(found.identity().groups()).contains("mobile-users");
        server.disable("alice");
        assertThat(login("alice", "alice-secret")).isEmpty();
        assertThat(idp.lookup("alice")).isEqualTo(UserLookup.notFound());
    }

    @Test
    void anUnknownUserIsEmptyAndAnOutageThrows() {
        assertThat(idp.lookup("nobody")).isEqualTo(UserLookup.notFound());
        server.failWith(503);
        assertThatThrownBy(() -> idp.lookup("alice")).isInstanceOf(IdentityProviderUnavailableException.class);
        assertThatThrownBy(() -> login("alice", "alice-secret"))
                .isInstanceOf(IdentityProviderUnavailableException.class);
        server.stop();
        assertThatThrownBy(idp::ping).isInstanceOf(IdentityProviderUnavailableException.class);
    }

    @Test
    void withoutAProfileUrlUsersCannotBeLookedUp() {
        HttpIdentityProvider checkOnly = new HttpIdentityProvider(new HttpIdentityClient(config(false)));
        assertThat(checkOnly.lookup("alice")).isEqualTo(UserLookup.unsupported());
    }
}
