package io.tollgate.shared.startup;

import io.tollgate.shared.auth.Account;
import io.tollgate.shared.crypto.PasswordHashes;

import java.util.List;

/**
 * The local stack's operator account, {@code ops} with the password {@code ops-secret}, which every demo
 * configuration and the README print. A service refuses any operator account whose hash accepts that password,
 * whatever its name, unless {@code allowDemoOperator: true} (the {@code local.yml} files).
 */
public final class DemoOperator {
    public static final String NAME = "ops";
    public static final String PASSWORD = "ops-secret";

    private DemoOperator() {
    }

    /** Throws {@link StartupRefusal} naming the first operator with the demo password, unless allowed. */
    public static void refuse(List<Account> operators, boolean allowDemoOperator) {
        if (allowDemoOperator || operators == null) {
            return;
        }
        for (int i = 0; i < operators.size(); i++) {
            Account account = operators.get(i);
            if (account != null && PasswordHashes.verify(PASSWORD, account.passwordHash)) {
                throw new StartupRefusal("operators[" + i + "] (" + account.name + ") has the demo operator's "
                        + "password: set its passwordHash to the output of `tollgate hash-password` "
                        + "(allowDemoOperator: true accepts it, for a local stack only)");
            }
        }
    }
}
