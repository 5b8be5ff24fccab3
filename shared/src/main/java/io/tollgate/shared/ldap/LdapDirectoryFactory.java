package io.tollgate.shared.ldap;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.AutoCloseableManager;
import io.dropwizard.util.Duration;
import io.tollgate.shared.crypto.Secret;
import io.tollgate.shared.tls.CaBundle;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Locale;

/**
 * The one configuration shape of an LDAP directory, for token-api's identity provider and policy-worker alike:
 * servers, transport security, the service account, and where users are.
 *
 * <p>{@code security}: {@code none} ({@code ldap://} URLs, plain text), {@code starttls} ({@code ldap://} URLs,
 * upgraded before the bind) or {@code ldaps} ({@code ldaps://} URLs). With TLS the server's certificate must chain
 * to a trusted CA ({@code caBundle}, a PEM file of CA certificates, or the JVM's default trust when none is given)
 * <em>and</em> name the host of the URL (the JDK's {@code LDAPS} endpoint identification: a DNS subject alternative
 * name, RFC 6125 wildcards included, or an IP one for an address), so a
 * certificate a trusted CA issued for another host is refused: otherwise anyone holding one could sit in the middle
 * and read every bind password. There is no switch to turn either check off.
 *
 * <p>No secret has a default: the bind password comes from the configuration (the local stack's YAML reads it
 * from {@code TOLLGATE_LDAP_BIND_PASSWORD}). An empty {@code bindDn} binds anonymously.
 *
 * <p>The one LDAP connection factory: token-api's identity provider and policy-worker's account source extend it
 * with what they read, and take their connection pool from {@link #pool(Environment)}.
 */
public class LdapDirectoryFactory {

    public enum Security { NONE, STARTTLS, LDAPS }

    /** One or more {@code ldap://host:port} (or {@code ldaps://}) URLs; later ones are fail-over servers. */
    @NotEmpty
    public List<@NotEmpty String> urls = List.of("ldap://127.0.0.1:10389");

    @NotNull
    public Security security = Security.NONE;

    /** PEM file of the CA certificates to trust for TLS; none = the JVM's default trust. */
    public String caBundle;

    /** Service account used for searches; empty = anonymous. */
    public String bindDn;

    public Secret bindPassword;

    @NotEmpty
    public String userBaseDn = "ou=people,dc=tollgate,dc=test";

    @NotEmpty
    public String userIdAttribute = "uid";

    @NotEmpty
    public String userObjectClass = "inetOrgPerson";

    @NotNull
    public Duration connectTimeout = Duration.seconds(2);

    @NotNull
    public Duration responseTimeout = Duration.seconds(3);

    @Min(1)
    public int maxConnections = 10;

    private final String poolName;

    /** A directory whose pools are named {@code tollgate-ldap}. */
    public LdapDirectoryFactory() {
        this("tollgate-ldap");
    }

    /** @param poolName the name of the pools this factory builds (UnboundID's logs and monitoring show it) */
    protected LdapDirectoryFactory(String poolName) {
        this.poolName = poolName;
    }

    @JsonIgnore
    @AssertTrue(message = "bindPassword is required with a bindDn")
    public boolean isBindPasswordGiven() {
        return bindDn == null || bindDn.isBlank() || (bindPassword != null && !bindPassword.isEmpty());
    }

    /** An {@code ldaps://} URL with {@code security: none} would otherwise silently talk plain text. */
    @JsonIgnore
    @AssertTrue(message = "urls must be ldaps:// with security ldaps, ldap:// otherwise")
    public boolean isSchemeMatchingSecurity() {
        if (urls == null || security == null) {
            return true;
        }
        String scheme = security == Security.LDAPS ? "ldaps://" : "ldap://";
        return urls.stream().allMatch(u -> u != null && u.toLowerCase(Locale.ROOT).startsWith(scheme));
    }

    /** A pool bound to the service's lifecycle (closed at stop). */
    public LDAPConnectionPool pool(Environment environment) {
        return managed(environment, pool());
    }

    /** {@link #bindPool()} bound to the service's lifecycle (closed at stop). */
    public LDAPConnectionPool bindPool(Environment environment) {
        return managed(environment, bindPool());
    }

    private static LDAPConnectionPool managed(Environment environment, LDAPConnectionPool pool) {
        environment.lifecycle().manage(new AutoCloseableManager(pool));
        return pool;
    }

    /**
     * A pool that does not fail when the directory is down at start-up: connections are made on demand (and
     * each one's TLS handshake and host-name check happens then).
     */
    public LDAPConnectionPool pool() {
        return pool(bindDn == null || bindDn.isBlank() ? null : new SimpleBindRequest(bindDn, bindPassword.reveal()),
                poolName);
    }

    /**
     * A pool for checking users' passwords by binding as them: its connections make no bind of their own, and
     * after a user's bind stay authenticated as that user, so they must never serve a search. A bind on it needs
     * no re-bind as the service account afterwards.
     */
    public LDAPConnectionPool bindPool() {
        return pool(null, poolName + "-binds");
    }

    /** @param bind what each new connection binds as; null = none (anonymous) */
    private LDAPConnectionPool pool(BindRequest bind, String name) {
        try {
            LDAPConnectionOptions options = new LDAPConnectionOptions();
            options.setConnectTimeoutMillis((int) connectTimeout.toMilliseconds());
            options.setResponseTimeoutMillis(responseTimeout.toMilliseconds());
            options.setAbandonOnTimeout(true);
            String[] hosts = new String[urls.size()];
            int[] ports = new int[urls.size()];
            for (int i = 0; i < urls.size(); i++) {
                LDAPURL url = new LDAPURL(urls.get(i));
                hosts[i] = url.getHost();
                ports[i] = url.getPort();
            }
            SocketFactory socketFactory = null;
            PostConnectProcessor postConnect = null;
            if (security != Security.NONE) {
                // every handshake, LDAPS and StartTLS alike, checks that the certificate names the URL's host; the
                // JDK's own sockets (UnboundID's SSLUtil wraps them in sockets that drop that parameter)
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {CaBundle.trustManager(caBundle)}, null);
                SSLSocketFactory tls = new HostNameCheckingSocketFactory(context.getSocketFactory());
                if (security == Security.LDAPS) {
                    socketFactory = tls;
                } else {
                    postConnect = new StartTLSPostConnectProcessor(tls);
                }
            }
            FailoverServerSet servers = new FailoverServerSet(hosts, ports, socketFactory, options);
            LDAPConnectionPool pool = new LDAPConnectionPool(servers, bind, 0, maxConnections, postConnect, false);
            pool.setMaxWaitTimeMillis(responseTimeout.toMilliseconds());
            pool.setRetryFailedOperationsDueToInvalidConnections(true);
            pool.setConnectionPoolName(name);
            return pool;
        } catch (LDAPException | GeneralSecurityException e) {
            throw new IllegalStateException("invalid LDAP configuration: " + e.getMessage(), e);
        }
    }
}
