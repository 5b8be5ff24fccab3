package io.tollgate.testkit;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.ldif.LDIFReader;
import com.unboundid.util.ssl.SSLUtil;

import javax.net.ssl.KeyManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;

/**
 * A real LDAP server: UnboundID's in-memory directory, speaking the LDAP protocol on a loopback port,
 * loaded from an LDIF. The default LDIF is the demo directory of docs/demo.md (alice, bob, erin, carol,
 * dave; group mobile-users; dave's license expired).
 *
 * <p>Member entries carry {@code memberOf}, the DNs of their {@code groupOfNames} groups, kept the way OpenLDAP's
 * memberof overlay keeps it ({@link MemberOfMaintenance}): after loading, after {@link #addBenchUsers}, and after
 * every write over LDAP that changes a membership.
 */
public final class LdapDirectory implements AutoCloseable {
    public static final String BASE_DN = "dc=tollgate,dc=test";
    public static final String USERS_DN = "ou=people," + BASE_DN;
    public static final String GROUPS_DN = "ou=groups," + BASE_DN;
    public static final String ADMIN_DN = "cn=admin," + BASE_DN;
    public static final String ADMIN_PASSWORD = "admin-secret";
    /** The demo directory on the classpath (shared's main resources). */
    public static final String DEMO_LDIF = "/io/tollgate/shared/demo/demo-directory.ldif";

    /**
     * Tollgate's schema extension: {@code tollgateUser}, an auxiliary class for the policy-worker's attributes; and
     * {@code memberOf} as OpenLDAP's memberof overlay defines it (an operational attribute any entry may carry).
     */
    static final Schema TOLLGATE_SCHEMA = new Schema(new Entry("cn=schema",
            new Attribute("objectClass", "top", "ldapSubentry", "subschema"),
            new Attribute("attributeTypes",
                    "( 1.3.6.1.4.1.32473.1.1.1 NAME 'tollgateLicenseExpires' DESC 'end of the API license of the user'"
                            + " EQUALITY generalizedTimeMatch ORDERING generalizedTimeOrderingMatch"
                            + " SYNTAX 1.3.6.1.4.1.1466.115.121.1.24 SINGLE-VALUE )",
                    "( 1.3.6.1.4.1.42.2.27.8.1.17 NAME 'pwdAccountLockedTime'"
                            + " EQUALITY generalizedTimeMatch ORDERING generalizedTimeOrderingMatch"
                            + " SYNTAX 1.3.6.1.4.1.1466.115.121.1.24 SINGLE-VALUE )",
                    "( 1.2.840.113556.1.2.102 NAME 'memberOf' DESC 'a group the entry is a member of'"
                            + " EQUALITY distinguishedNameMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.12"
                            + " USAGE dSAOperation )"),
            new Attribute("objectClasses",
                    "( 1.3.6.1.4.1.32473.1.2.1 NAME 'tollgateUser' AUXILIARY"
                            + " MAY ( tollgateLicenseExpires $ pwdAccountLockedTime ) )")));

    private final InMemoryDirectoryServer server;
    private final LdapOperationCounts operations;
    private final MemberOfMaintenance memberOf;

    private LdapDirectory(InMemoryDirectoryServer server, LdapOperationCounts operations,
                          MemberOfMaintenance memberOf) {
        this.server = server;
        this.operations = operations;
        this.memberOf = memberOf;
    }

    /** The demo directory on a free port. */
    public static LdapDirectory demo() {
        return start(0, DEMO_LDIF);
    }

    /**
     * Starts a directory on {@code port} (0 = free port) loaded from the classpath LDIF {@code ldifResource}, counting
     * the operations clients send ({@link #operations}).
     */
    public static LdapDirectory start(int port, String ldifResource) {
        return start(port, ldifResource, true);
    }

    /**
     * Like {@link #start(int, String)} without counting operations, for a directory that serves load (the local
     * stack's): counting reads the server's access log, which formats a line per operation.
     */
    public static LdapDirectory serve(int port, String ldifResource) {
        return start(port, ldifResource, false);
    }

    private static LdapDirectory start(int port, String ldifResource, boolean countOperations) {
        try {
            return start(ldifResource, countOperations, InMemoryListenerConfig.createLDAPConfig("ldap",
                    InMemoryLoopback.address(), port, null));
        } catch (LDAPException e) {
            throw new IllegalStateException("cannot start the LDAP directory: " + e.getMessage(), e);
        }
    }

    /**
     * The demo directory over TLS on two free loopback ports: listener {@code ldaps} (TLS from the first byte)
     * and listener {@code starttls} (plain LDAP that accepts the StartTLS extended operation), both presenting
     * the certificate of {@code serverKey}.
     */
    public static LdapDirectory demoOverTls(KeyManager serverKey) {
        return demoOverTls(serverKey, InMemoryLoopback.address());
    }

    /** Like {@link #demoOverTls(KeyManager)}, listening at {@code address} (e.g. where other hosts reach it). */
    public static LdapDirectory demoOverTls(KeyManager serverKey, InetAddress address) {
        try {
            SSLUtil ssl = new SSLUtil(serverKey, null);
            return start(DEMO_LDIF, true,
                    InMemoryListenerConfig.createLDAPSConfig("ldaps", address, 0, ssl.createSSLServerSocketFactory(),
                            null),
                    InMemoryListenerConfig.createLDAPConfig("starttls", address, 0, ssl.createSSLSocketFactory()));
        } catch (LDAPException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot start the TLS LDAP directory: " + e.getMessage(), e);
        }
    }

    private static LdapDirectory start(String ldifResource, boolean countOperations,
                                       InMemoryListenerConfig... listeners) {
        try {
            InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE_DN);
            config.addAdditionalBindCredentials(ADMIN_DN, ADMIN_PASSWORD);
            config.setListenerConfigs(listeners);
            // The standard schema plus Tollgate's auxiliary class (license end, account lock), as a directory
            // administrator would add it. A schema gives the equality matching rules the indexes need.
            config.setSchema(Schema.mergeSchemas(Schema.getDefaultStandardSchema(), TOLLGATE_SCHEMA));
            config.setEnforceAttributeSyntaxCompliance(false);
            // What a production directory indexes for the identity provider's searches (user by uid; groups by
            // member with groupsFrom: memberSearch): without them every search scans every entry. Even with them
            // this server checks a found group's filter again, parsing its member DNs one by one (0.6-0.7 ms for a
            // 1,000-member group), where a production directory answers from its index: BENCHMARKS.md §2. Nothing
            // searches by memberOf (it is read from the user entry), so it has no index.
            config.setEqualityIndexAttributes("uid", "member");
            LdapOperationCounts operations = countOperations ? new LdapOperationCounts() : null;
            config.setAccessLogHandler(operations);
            MemberOfMaintenance memberOf = new MemberOfMaintenance(BASE_DN);
            config.addInMemoryOperationInterceptor(memberOf);
            InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
            memberOf.attach(server);
            try (InputStream in = LdapDirectory.class.getResourceAsStream(ldifResource)) {
                if (in == null) {
                    throw new IllegalArgumentException("no LDIF on the classpath at " + ldifResource);
                }
                server.importFromLDIF(true, new LDIFReader(in));
            }
            memberOf.refresh();
            server.startListening();
            return new LdapDirectory(server, operations, memberOf);
        } catch (LDAPException e) {
            throw new IllegalStateException("cannot start the LDAP directory: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Adds {@code count} entitled users {@code user0001 .. userNNNN} with passwords {@code pw-0001 ..}, members of
     * {@code mobile-users} with a valid license: the benchmark population (Keycloak gets the same users).
     */
    public LdapDirectory addBenchUsers(int count) {
        try {
            java.util.List<com.unboundid.ldap.sdk.Modification> members = new java.util.ArrayList<>();
            for (int i = 1; i <= count; i++) {
                String uid = String.format("user%04d", i);
                String dn = "uid=" + uid + "," + USERS_DN;
                server.add(new com.unboundid.ldap.sdk.Entry(dn,
                        new com.unboundid.ldap.sdk.Attribute("objectClass", "top", "inetOrgPerson", "tollgateUser"),
                        new com.unboundid.ldap.sdk.Attribute("uid", uid),
                        new com.unboundid.ldap.sdk.Attribute("cn", "Bench " + uid),
                        new com.unboundid.ldap.sdk.Attribute("sn", uid),
                        new com.unboundid.ldap.sdk.Attribute("userPassword", String.format("pw-%04d", i)),
                        new com.unboundid.ldap.sdk.Attribute("tollgateLicenseExpires", "20991231235959Z")));
                members.add(new com.unboundid.ldap.sdk.Modification(com.unboundid.ldap.sdk.ModificationType.ADD,
                        "member", dn));
            }
            if (!members.isEmpty()) {
                server.modify("cn=mobile-users," + GROUPS_DN, members);
            }
            memberOf.refresh();
            return this;
        } catch (LDAPException e) {
            throw new IllegalStateException("cannot add bench users: " + e.getMessage(), e);
        }
    }

    /**
     * The operations clients have sent over the listeners so far, by type ({@code bind}, {@code search}, ...).
     *
     * @throws IllegalStateException for a directory started by {@link #serve}, which does not count them
     */
    public java.util.Map<String, Long> operations() {
        if (operations == null) {
            throw new IllegalStateException("this directory does not count operations (started by serve)");
        }
        return operations.snapshot();
    }

    public int port() {
        return server.getListenPort();
    }

    /** The port of one listener ({@code ldaps} or {@code starttls} of {@link #demoOverTls}). */
    public int port(String listener) {
        return server.getListenPort(listener);
    }

    public String url() {
        return "ldap://127.0.0.1:" + port();
    }

    /**
     * The underlying server, e.g. to add, modify or delete entries in a test. Its own write methods bypass the
     * interceptors, and so the upkeep of {@code memberOf}: a test that changes a membership writes over LDAP
     * ({@link #connect()}) or calls {@link #refreshMemberOf()} after.
     */
    public InMemoryDirectoryServer server() {
        return server;
    }

    /** Sets every entry's {@code memberOf} from the groups as they are now (after direct writes to {@link #server}). */
    public void refreshMemberOf() {
        try {
            memberOf.refresh();
        } catch (LDAPException e) {
            throw new IllegalStateException("cannot refresh memberOf: " + e.getMessage(), e);
        }
    }

    /** A connection to the listener: its writes pass the interceptors, as any client's do. */
    public LDAPConnection connect() throws LDAPException {
        return server.getConnection();
    }

    /** Stops listening: clients see the directory as down. {@link #resume()} brings it back. */
    public void suspend() {
        server.shutDown("ldap", true);
    }

    public void resume() {
        try {
            server.startListening("ldap");
        } catch (LDAPException e) {
            throw new IllegalStateException("cannot restart the LDAP listener", e);
        }
    }

    @Override
    public void close() {
        server.shutDown(true);
    }

    private static final class InMemoryLoopback {
        static InetAddress address() {
            return InetAddress.getLoopbackAddress();
        }
    }
}
