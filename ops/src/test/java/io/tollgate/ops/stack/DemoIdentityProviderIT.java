package io.tollgate.ops.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchScope;
import io.tollgate.shared.json.Json;
import io.tollgate.testkit.FreePorts;
import io.tollgate.testkit.LdapDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The demo HTTP identity provider over real HTTP, against the demo LDAP directory loaded from the same LDIF. */
class DemoIdentityProviderIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static DemoIdentityProvider idp;

    @BeforeAll
    static void start() throws Exception {
        idp = DemoIdentityProvider.start("127.0.0.1", FreePorts.find(), DemoUsers.demo());
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    private static HttpResponse<String> check(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(idp.url() + DemoIdentityProvider.CHECK_PATH))
                .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> check(String user, String password) throws Exception {
        return check(Json.mapper().createObjectNode().put("username", user).put("password", password).toString());
    }

    private static HttpResponse<String> profile(String sub) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(idp.url() + DemoIdentityProvider.USERS_PATH + sub))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.mapper().readTree(response.body());
    }

    @Test
    void theRightPasswordGivesTheProfileOfTheContract() throws Exception {
        HttpResponse<String> alice = check("alice", "alice-secret");
        assertThat(alice.statusCode()).isEqualTo(200);
        assertThat(alice.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(alice)).isEqualTo(Json.mapper().readTree(
                "{\"sub\":\"alice\",\"groups\":[\"mobile-users\"],\"disabled\":false,\"licenseExpires\":\"2099-12-31T23:59:59Z\"}"));
        assertThat(json(profile("alice"))).isEqualTo(json(alice));

        JsonNode carol = json(check("carol", "carol-secret"));
        assertThat(carol.path("groups")).isEmpty();
        assertThat(json(check("dave", "dave-secret")).path("licenseExpires").asText()).isEqualTo("2024-01-01T00:00:00Z");
    }

    @Test
    void theSubjectIsTheStoredIdNotTheNameAsTyped() throws Exception {
        HttpResponse<String> typed = check("ALICE", "alice-secret");
        assertThat(typed.statusCode()).isEqualTo(200);
        assertThat(json(typed).path("sub").asText()).isEqualTo("alice");
        assertThat(json(profile("Bob")).path("sub").asText()).isEqualTo("bob");
    }

    @Test
    void wrongCredentialsAre401UnknownUsers404AndMalformedRequests400() throws Exception {
        assertThat(check("alice", "bob-secret").statusCode()).isEqualTo(401);
        assertThat(check("mallory", "alice-secret").statusCode()).isEqualTo(401);
        assertThat(json(check("alice", "")).path("error").asText()).isEqualTo("invalid_credentials");
        assertThat(check("alice", "alice-secret").body()).doesNotContain("alice-secret");

        assertThat(profile("mallory").statusCode()).isEqualTo(404);
        assertThat(json(profile("mallory")).path("error").asText()).isEqualTo("not_found");

        for (String body : List.of("not json", "[]", "{\"username\":\"alice\"}", "{\"username\":1,\"password\":\"x\"}")) {
            HttpResponse<String> bad = check(body);
            assertThat(bad.statusCode()).as(body).isEqualTo(400);
            assertThat(json(bad).path("error").asText()).isEqualTo("invalid_request");
        }
        assertThat(check("{\"username\":\"alice\",\"password\":\"" + "x".repeat(20_000) + "\"}").statusCode())
                .isEqualTo(413);
        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create(idp.url() + DemoIdentityProvider.CHECK_PATH))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
    }

    @Test
    void aDisabledUserIsFlaggedInBothAnswers() throws Exception {
        assertThat(idp.setDisabled("erin", true)).isTrue();
        try {
            assertThat(json(check("erin", "erin-secret")).path("disabled").asBoolean()).isTrue();
            assertThat(json(profile("erin")).path("disabled").asBoolean()).isTrue();
        } finally {
            idp.setDisabled("erin", false);
        }
        assertThat(json(profile("erin")).path("disabled").asBoolean()).isFalse();
        assertThat(idp.setDisabled("mallory", true)).isFalse();
    }

    @Test
    void downRefusesConnectionsAndSlowAnswersLate() throws Exception {
        idp.down();
        try {
            assertThatThrownBy(() -> profile("alice")).isInstanceOf(java.net.ConnectException.class);
        } finally {
            idp.up();
        }
        assertThat(profile("alice").statusCode()).isEqualTo(200);

        idp.slowProfiles(Duration.ofSeconds(30));
        try {
            assertThatThrownBy(() -> HTTP.send(HttpRequest.newBuilder(URI.create(idp.url() + "/users/alice"))
                    .timeout(Duration.ofMillis(300)).GET().build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(HttpTimeoutException.class);
            assertThat(check("alice", "alice-secret").statusCode()).as("credential checks are not slowed").isEqualTo(200);
            idp.slow(Duration.ofSeconds(30));
            assertThatThrownBy(() -> HTTP.send(HttpRequest.newBuilder(URI.create(idp.url() + DemoIdentityProvider.CHECK_PATH))
                    .timeout(Duration.ofMillis(300)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(HttpTimeoutException.class);
        } finally {
            idp.slow(Duration.ZERO);
        }
        assertThat(profile("alice").statusCode()).isEqualTo(200);
    }

    /** Every person of the demo directory logs in to both providers with the same password and the same groups. */
    @Test
    void theUsersAreTheDemoDirectorysOwn() throws Exception {
        Set<String> uids = new TreeSet<>();
        try (LdapDirectory ldap = LdapDirectory.demo(); LDAPConnection connection = ldap.connect()) {
            for (var entry : connection.search(LdapDirectory.USERS_DN, SearchScope.ONE, "(uid=*)", "uid").getSearchEntries()) {
                String uid = entry.getAttributeValue("uid");
                uids.add(uid);
                String password = uid + "-secret";
                bind(ldap, entry.getDN(), password);
                JsonNode profile = json(check(uid, password));
                assertThat(profile.path("sub").asText()).isEqualTo(uid);
                Set<String> groups = new TreeSet<>();
                connection.search(LdapDirectory.GROUPS_DN, SearchScope.ONE, "(member=" + entry.getDN() + ")", "cn")
                        .getSearchEntries().forEach(g -> groups.add(g.getAttributeValue("cn")));
                Set<String> served = new TreeSet<>();
                profile.path("groups").forEach(g -> served.add(g.asText()));
                assertThat(served).as(uid).isEqualTo(groups);
            }
        }
        assertThat(uids).containsExactly("alice", "bob", "carol", "dave", "erin");
    }

    private static void bind(LdapDirectory ldap, String dn, String password) throws LDAPException {
        try (LDAPConnection c = new LDAPConnection("127.0.0.1", ldap.port())) {
            c.bind(dn, password);
        }
    }
}
