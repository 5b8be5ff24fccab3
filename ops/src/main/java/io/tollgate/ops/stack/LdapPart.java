package io.tollgate.ops.stack;

import com.unboundid.ldap.sdk.LDAPConnection;
import io.tollgate.testkit.LdapDirectory;

/**
 * The demo directory (UnboundID in-memory LDAP server) in the launcher's own JVM. It serves the stack's load (and the
 * benchmarks'), so it does not count operations: tests that count them start their own directory.
 */
final class LdapPart extends InProcessPart<LdapDirectory> {
    LdapPart(StackConfig config) {
        super("ldap", config);
    }

    @Override
    protected LdapDirectory open() {
        LdapDirectory directory = LdapDirectory.serve(config.ldapPort, LdapDirectory.DEMO_LDIF);
        if (config.benchUsers > 0) {
            directory.addBenchUsers(config.benchUsers);
        }
        return directory;
    }

    @Override
    public boolean healthy() {
        try (LDAPConnection connection = new LDAPConnection(config.host, config.ldapPort)) {
            connection.bind(LdapDirectory.ADMIN_DN, LdapDirectory.ADMIN_PASSWORD);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public String endpoint() {
        return config.ldapUrl() + " (base " + LdapDirectory.BASE_DN + ")";
    }
}
