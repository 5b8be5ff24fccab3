package io.tollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.shared.json.Json;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code revoke-user} and {@code revoke-client}: what they send to token-api's operator API and what they print;
 * against the real stack: {@code OperatorCliStackIT}.
 */
class RevokeCommandsTest {
    private static final Map<String, String> ENV = Map.of("TOLLGATE_OPERATOR_PASSWORD", "pw");

    @Test
    void revokeUserSendsTheClientAndReasonAndSaysWhatWasRevoked() throws Exception {
        try (FakeAdminServer tokenApi = new FakeAdminServer()) {
            tokenApi.route("/admin/users/bob/revoke", r -> new FakeAdminServer.Answer(204, ""));

            CliRunner.Result result = CliRunner.run(ENV, "revoke-user", "--token-api", tokenApi.url(""), "bob",
                    "--client", "demo-mobile", "--reason", "lost phone");

            assertThat(result.code()).as(result.err()).isZero();
            assertThat(result.out()).isEqualTo("revoked every token of user bob for client demo-mobile; gateways "
                    + "enforce it within 1 s\n");
            FakeAdminServer.Request sent = tokenApi.requests.get(0);
            assertThat(sent.method()).isEqualTo("POST");
            assertThat(Json.mapper().readTree(sent.body()))
                    .isEqualTo(Json.mapper().readTree("{\"reason\":\"lost phone\",\"client_id\":\"demo-mobile\"}"));

            CliRunner.Result json = CliRunner.run(ENV, "revoke-user", "--token-api", tokenApi.url(""), "bob", "--json");
            assertThat(json.code()).as(json.err()).isZero();
            JsonNode answer = Json.mapper().readTree(json.out());
            assertThat(answer.get("revoked").asText()).isEqualTo("user");
            assertThat(answer.get("user").asText()).isEqualTo("bob");
            assertThat(answer.path("client").isMissingNode() || answer.get("client").isNull()).isTrue();
        }
    }

    @Test
    void revokeClientSendsTheReasonAndSaysWhatWasRevoked() throws Exception {
        try (FakeAdminServer tokenApi = new FakeAdminServer()) {
            tokenApi.route("/admin/clients/demo-mobile/revoke", r -> new FakeAdminServer.Answer(204, ""));

            CliRunner.Result result = CliRunner.run(ENV, "revoke-client", "--token-api", tokenApi.url(""),
                    "demo-mobile", "--reason", "leaked build");

            assertThat(result.code()).as(result.err()).isZero();
            assertThat(result.out()).isEqualTo("revoked every token of client demo-mobile; gateways enforce it "
                    + "within 1 s\n");
            assertThat(Json.mapper().readTree(tokenApi.requests.get(0).body()))
                    .isEqualTo(Json.mapper().readTree("{\"reason\":\"leaked build\"}"));

            CliRunner.Result json = CliRunner.run(ENV, "revoke-client", "--token-api", tokenApi.url(""), "demo-mobile",
                    "--reason", "leaked build", "--json");
            JsonNode answer = Json.mapper().readTree(json.out());
            assertThat(answer.get("revoked").asText()).isEqualTo("client");
            assertThat(answer.get("client").asText()).isEqualTo("demo-mobile");
            assertThat(answer.get("reason").asText()).isEqualTo("leaked build");
        }
    }
}
