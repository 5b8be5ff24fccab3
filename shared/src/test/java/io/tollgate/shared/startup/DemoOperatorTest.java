package io.tollgate.shared.startup;

import io.tollgate.shared.auth.Account;
import io.tollgate.shared.crypto.PasswordHashes;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemoOperatorTest {
    /** The hash the local stack's YAML files carry. */
    private static final String SHIPPED_DEMO_HASH =
            "pbkdf2-sha256$210000$gBKVnb4nupiHwztnVYEe6A==$cl7BYdLdS/8BoKfV0UaFWZOOBm5dNhwD5Isq9g1sR68=";

    @Test
    void theShippedDemoHashIsRefusedUnlessAllowed() {
        List<Account> operators = List.of(new Account("ops", SHIPPED_DEMO_HASH));
        assertThatThrownBy(() -> DemoOperator.refuse(operators, false))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageStartingWith("operators[0] (ops) has the demo operator's password")
                .hasMessageContaining("allowDemoOperator");
        assertThatCode(() -> DemoOperator.refuse(operators, true)).doesNotThrowAnyException();
    }

    @Test
    void theDemoPasswordIsRefusedUnderAnyName() {
        List<Account> operators = List.of(new Account("alice", PasswordHashes.hash("a-real-one", 1_000)),
                new Account("admin", PasswordHashes.hash(DemoOperator.PASSWORD, 1_000)));
        assertThatThrownBy(() -> DemoOperator.refuse(operators, false))
                .hasMessageStartingWith("operators[1] (admin) has the demo operator's password");
    }

    @Test
    void theDemoNameWithItsOwnPasswordIsAccepted() {
        assertThatCode(() -> DemoOperator.refuse(List.of(new Account("ops", PasswordHashes.hash("not-the-demo", 1_000))),
                false)).doesNotThrowAnyException();
        assertThatCode(() -> DemoOperator.refuse(List.of(), false)).doesNotThrowAnyException();
    }
}
