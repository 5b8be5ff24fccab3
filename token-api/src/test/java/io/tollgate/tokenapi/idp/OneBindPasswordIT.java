package io.tollgate.tokenapi.idp;

import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import io.tollgate.shared.crypto.Secret;
import io.tollgate.testkit.LdapDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A user's bind against a real directory through {@link OneBindPassword}: it authenticates, and what the connection
 * keeps for re-binding holds no password; a plain {@code SimpleBindRequest} would keep it.
 */
class OneBindPasswordIT {
    static final String ALICE = "uid=alice," + LdapDirectory.USERS_DN;
    static LdapDirectory directory;

    @BeforeAll
    static void start() {
        directory = LdapDirectory.demo();
    }

    @AfterAll
    static void stop() {
        directory.close();
    }

    @Test
    void theConnectionKeepsNoPasswordAfterAUsersBind() throws Exception {
        try (LDAPConnection connection = directory.connect()) {
            connection.bind(new SimpleBindRequest(ALICE, new OneBindPassword(Secret.of("alice-secret"))));
            BindRequest kept = connection.getLastBindRequest();
            assertThat(kept).isInstanceOf(SimpleBindRequest.class);
            assertThat(((SimpleBindRequest) kept).getPassword()).isNull();
            assertThatThrownBy(() -> connection.bind(kept.getRebindRequest("127.0.0.1", directory.port())))
                    .isInstanceOfSatisfying(LDAPException.class,
                            e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.PARAM_ERROR));
        }
    }

    @Test
    void aPlainBindRequestWouldKeepThePassword() throws Exception {
        try (LDAPConnection connection = directory.connect()) {
            connection.bind(new SimpleBindRequest(ALICE, "alice-secret"));
            assertThat(((SimpleBindRequest) connection.getLastBindRequest()).getPassword().stringValue())
                    .isEqualTo("alice-secret");
        }
    }

    @Test
    void aWrongPasswordIsRefusedByTheDirectory() throws Exception {
        try (LDAPConnection connection = directory.connect()) {
            assertThatThrownBy(() -> connection.bind(
                    new SimpleBindRequest(ALICE, new OneBindPassword(Secret.of("wrong")))))
                    .isInstanceOfSatisfying(LDAPException.class,
                            e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.INVALID_CREDENTIALS));
        }
    }
}
