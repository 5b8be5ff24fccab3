package io.tollgate.tokenapi.it;

import io.dropwizard.testing.ConfigOverride;
import io.tollgate.tokenapi.TokenApiTestStack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The directory operations of one password grant and one refresh grant with groups searched by member
 * ({@code groupsFrom: memberSearch}, for directories that keep no memberOf), counted as {@link GrantCostIT} counts
 * them: one group search more than with memberOf, after the password check and on every refresh.
 */
class GrantCostMemberSearchIT {
    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("grant-cost-member-search-it")
            .config(ConfigOverride.config("identityProvider.groupsFrom", "memberSearch")).build();

    static Http http;

    @BeforeAll
    static void client() {
        http = new Http(STACK.baseUrl());
    }

    /** The directory operations per grant over {@link GrantCostIT#GRANTS} grants, after a warm-up. */
    static Map<String, Long> directoryPerGrant(Supplier<Http.Answer> grant) {
        for (int i = 0; i < 3; i++) {
            grant.get();
        }
        Map<String, Long> before = STACK.ldap().directory().operations();
        for (int i = 0; i < GrantCostIT.GRANTS; i++) {
            grant.get();
        }
        return GrantCostIT.divided(GrantCostIT.perGrant(before, STACK.ldap().directory().operations()));
    }

    @Test
    void passwordGrant() {
        assertThat(directoryPerGrant(() -> GrantCostIT.login(http))).as("directory operations per password grant")
                .isEqualTo(Map.of("search", 2L, "bind", 1L));
    }

    @Test
    void refreshGrant() {
        String[] token = {GrantCostIT.login(http).text("refresh_token")};
        Supplier<Http.Answer> rotate = () -> {
            Http.Answer answer = GrantCostIT.refresh(http, token[0]);
            token[0] = answer.text("refresh_token");
            return answer;
        };
        assertThat(directoryPerGrant(rotate)).as("directory operations per refresh grant")
                .isEqualTo(Map.of("search", 2L));
    }
}
