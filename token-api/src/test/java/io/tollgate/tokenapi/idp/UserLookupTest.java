package io.tollgate.tokenapi.idp;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserLookupTest {

    @Test
    void anIdentityGoesWithFoundAndOnlyWithIt() {
        Identity alice = new Identity("alice", Set.of("mobile-users"));
        assertThat(UserLookup.found(alice).identity()).isEqualTo(alice);
        assertThat(UserLookup.notFound().identity()).isNull();
        assertThat(UserLookup.unsupported().identity()).isNull();
        assertThatThrownBy(() -> new UserLookup(UserLookup.Outcome.FOUND, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UserLookup(UserLookup.Outcome.NOT_FOUND, alice))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UserLookup(UserLookup.Outcome.UNSUPPORTED, alice))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UserLookup(null, null)).isInstanceOf(NullPointerException.class);
    }
}
