package io.tollgate.tokenapi.portal;

import io.tollgate.shared.events.ApplicationRecord.ClientType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppGrantsTest {
    @Test
    void anAppWithoutChoiceGetsTheBrowserGrants() {
        assertThat(AppGrants.choose(null, ClientType.PUBLIC, AppGrants.DEFAULT))
                .containsExactlyInAnyOrder("authorization_code", "refresh_token");
    }

    @Test
    void aConfidentialAppMayChooseClientCredentialsAPublicOneNever() {
        List<String> cc = List.of("client_credentials", "client_credentials");
        assertThat(AppGrants.choose(cc, ClientType.CONFIDENTIAL, null)).containsExactly("client_credentials");
        assertThatThrownBy(() -> AppGrants.choose(cc, ClientType.PUBLIC, null))
                .isInstanceOfSatisfying(PortalException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("invalid_request");
                });
    }

    @Test
    void anythingButANonEmptyListOfKnownGrantsIs400() {
        List<List<String>> refused = Arrays.asList(List.of(), List.of("implicit"), List.of("1"),
                List.of("password", "password", "password", "password", "refresh_token"), null);
        for (List<String> grants : refused) {
            assertThatThrownBy(() -> AppGrants.choose(grants, ClientType.CONFIDENTIAL, null))
                    .as(String.valueOf(grants))
                    .isInstanceOfSatisfying(PortalException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
    }
}
