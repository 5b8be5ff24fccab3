package io.tollgate.tokenapi.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.shared.events.ApplicationRecord.ClientType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppGrantsTest {
    static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    @Test
    void anAppWithoutChoiceGetsTheBrowserGrants() throws Exception {
        assertThat(AppGrants.read(json("{}"), "grantTypes", ClientType.PUBLIC, AppGrants.DEFAULT))
                .containsExactlyInAnyOrder("authorization_code", "refresh_token");
    }

    @Test
    void aConfidentialAppMayChooseClientCredentialsAPublicOneNever() throws Exception {
        JsonNode cc = json("{\"grantTypes\":[\"client_credentials\",\"client_credentials\"]}");
        assertThat(AppGrants.read(cc, "grantTypes", ClientType.CONFIDENTIAL, null)).containsExactly("client_credentials");
        assertThatThrownBy(() -> AppGrants.read(cc, "grantTypes", ClientType.PUBLIC, null))
                .isInstanceOfSatisfying(PortalException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("invalid_request");
                });
    }

    @Test
    void anythingButANonEmptyArrayOfKnownGrantsIs400() throws Exception {
        for (String body : new String[] {"{\"grantTypes\":[]}", "{\"grantTypes\":\"password\"}",
                "{\"grantTypes\":[\"implicit\"]}", "{\"grantTypes\":[1]}", "{}"}) {
            assertThatThrownBy(() -> AppGrants.read(json(body), "grantTypes", ClientType.CONFIDENTIAL, null))
                    .as(body).isInstanceOfSatisfying(PortalException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
    }
}
