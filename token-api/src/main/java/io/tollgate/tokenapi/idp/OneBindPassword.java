package io.tollgate.tokenapi.idp;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.PasswordProvider;
import com.unboundid.ldap.sdk.ResultCode;
import io.tollgate.shared.crypto.Secret;

import java.io.Serial;
import java.nio.charset.StandardCharsets;

/**
 * A user's password for one bind. An UnboundID connection keeps its last bind request (to re-bind after a
 * reconnect), and the bind pool's connections live for hours: given as a plain {@code SimpleBindRequest} password,
 * each idle connection would hold the last user's password that long. Given through this provider, the kept
 * request holds a provider that has already handed its bytes over and refuses a second bind.
 */
final class OneBindPassword extends PasswordProvider {
    @Serial
    private static final long serialVersionUID = 1L;

    private transient byte[] password;

    OneBindPassword(Secret password) {
        this.password = password.reveal().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized byte[] getPasswordBytes() throws LDAPException {
        byte[] bytes = password;
        password = null;
        if (bytes == null) {
            throw new LDAPException(ResultCode.PARAM_ERROR, "a user's password serves one bind only");
        }
        return bytes;
    }
}
