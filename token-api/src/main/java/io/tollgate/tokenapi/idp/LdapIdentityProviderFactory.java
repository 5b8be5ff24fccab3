package io.tollgate.tokenapi.idp;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import com.unboundid.util.ssl.TrustStoreTrustManager;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.tollgate.shared.crypto.Secret;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import javax.net.SocketFactory;
import javax.net.ssl.TrustManager;
import java.security.GeneralSecurityException;
import io.dropwizard.util.Duration;
import java.util.List;

/**
 * An LDAP directory (UnboundID SDK): a pool of connections bound as a service account searches the user
 * by an escaped equality filter, then the user's DN is bound with the password, then the groups that
 * list the user's DN as member are read. {@code security}: {@code none}, {@code starttls} or {@code ldaps}.
 */
public class LdapIdentityProviderFactory implements IdentityProviderFactory {

    public enum Security { NONE, STARTTLS, LDAPS }

    /** One or more {@code ldap://host:port} URLs; later ones are fail-over servers. */
    @NotEmpty
    private List<String> urls = List.of("ldap://127.0.0.1:10389");

    @NotNull
    private Security security = Security.NONE;

    /** Trust store for TLS (JKS or PKCS12); none = the JVM's default trust. */
    private String trustStorePath;

    private Secret trustStorePassword;

    /** Only for tests against self-signed servers. */
    private boolean trustAllCertificates;

    /** Service account used for searches; empty = anonymous. */
    private String bindDn;

    private Secret bindPassword;

    @NotEmpty
    private String userBaseDn = "ou=people,dc=tollgate,dc=test";

    @NotEmpty
    private String userIdAttribute = "uid";

    @NotEmpty
    private String userObjectClass = "inetOrgPerson";

    @NotEmpty
    private String groupBaseDn = "ou=groups,dc=tollgate,dc=test";

    @NotEmpty
    private String groupObjectClass = "groupOfNames";

    @NotEmpty
    private String groupMemberAttribute = "member";

    @NotEmpty
    private String groupNameAttribute = "cn";

    @NotNull
    private Duration connectTimeout = Duration.seconds(2);

    @NotNull
    private Duration responseTimeout = Duration.seconds(3);

    @Min(1)
    private int maxConnections = 10;

    @JsonProperty
    public List<String> getUrls() {
        return urls;
    }

    @JsonProperty
    public void setUrls(List<String> urls) {
        this.urls = urls;
    }

    @JsonProperty
    public Security getSecurity() {
        return security;
    }

    @JsonProperty
    public void setSecurity(Security security) {
        this.security = security;
    }

    @JsonProperty
    public String getTrustStorePath() {
        return trustStorePath;
    }

    @JsonProperty
    public void setTrustStorePath(String trustStorePath) {
        this.trustStorePath = trustStorePath;
    }

    @JsonProperty
    public Secret getTrustStorePassword() {
        return trustStorePassword;
    }

    @JsonProperty
    public void setTrustStorePassword(Secret trustStorePassword) {
        this.trustStorePassword = trustStorePassword;
    }

    @JsonProperty
    public boolean isTrustAllCertificates() {
        return trustAllCertificates;
    }

    @JsonProperty
    public void setTrustAllCertificates(boolean trustAllCertificates) {
        this.trustAllCertificates = trustAllCertificates;
    }

    @JsonProperty
    public String getBindDn() {
        return bindDn;
    }

    @JsonProperty
    public void setBindDn(String bindDn) {
        this.bindDn = bindDn;
    }

    @JsonProperty
    public Secret getBindPassword() {
        return bindPassword;
    }

    @JsonProperty
    public void setBindPassword(Secret bindPassword) {
        this.bindPassword = bindPassword;
    }

    @JsonProperty
    public String getUserBaseDn() {
        return userBaseDn;
    }

    @JsonProperty
    public void setUserBaseDn(String userBaseDn) {
        this.userBaseDn = userBaseDn;
    }

    @JsonProperty
    public String getUserIdAttribute() {
        return userIdAttribute;
    }

    @JsonProperty
    public void setUserIdAttribute(String userIdAttribute) {
        this.userIdAttribute = userIdAttribute;
    }

    @JsonProperty
    public String getUserObjectClass() {
        return userObjectClass;
    }

    @JsonProperty
    public void setUserObjectClass(String userObjectClass) {
        this.userObjectClass = userObjectClass;
    }

    @JsonProperty
    public String getGroupBaseDn() {
        return groupBaseDn;
    }

    @JsonProperty
    public void setGroupBaseDn(String groupBaseDn) {
        this.groupBaseDn = groupBaseDn;
    }

    @JsonProperty
    public String getGroupObjectClass() {
        return groupObjectClass;
    }

    @JsonProperty
    public void setGroupObjectClass(String groupObjectClass) {
        this.groupObjectClass = groupObjectClass;
    }

    @JsonProperty
    public String getGroupMemberAttribute() {
        return groupMemberAttribute;
    }

    @JsonProperty
    public void setGroupMemberAttribute(String groupMemberAttribute) {
        this.groupMemberAttribute = groupMemberAttribute;
    }

    @JsonProperty
    public String getGroupNameAttribute() {
        return groupNameAttribute;
    }

    @JsonProperty
    public void setGroupNameAttribute(String groupNameAttribute) {
        this.groupNameAttribute = groupNameAttribute;
    }

    @JsonProperty
    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    @JsonProperty
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    @JsonProperty
    public Duration getResponseTimeout() {
        return responseTimeout;
    }

    @JsonProperty
    public void setResponseTimeout(Duration responseTimeout) {
        this.responseTimeout = responseTimeout;
    }

    @JsonProperty
    public int getMaxConnections() {
        return maxConnections;
    }

    @JsonProperty
    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    @Override
    public IdentityProvider build(Environment environment) {
        LDAPConnectionPool pool = buildPool();
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                pool.close();
            }
        });
        return new LdapIdentityProvider(pool, this);
    }

    /** A pool that does not fail when the directory is down at start-up: connections are made on demand. */
    public LDAPConnectionPool buildPool() {
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
                SSLUtil ssl = new SSLUtil(trustManager());
                if (security == Security.LDAPS) {
                    socketFactory = ssl.createSSLSocketFactory();
                } else {
                    postConnect = new StartTLSPostConnectProcessor(ssl.createSSLContext());
                }
            }
            FailoverServerSet servers = new FailoverServerSet(hosts, ports, socketFactory, options);
            BindRequest bind = bindDn == null || bindDn.isBlank() ? null
                    : new SimpleBindRequest(bindDn, bindPassword == null ? "" : bindPassword.reveal());
            LDAPConnectionPool pool = new LDAPConnectionPool(servers, bind, 0, maxConnections, postConnect, false);
            pool.setMaxWaitTimeMillis(responseTimeout.toMilliseconds());
            pool.setRetryFailedOperationsDueToInvalidConnections(true);
            pool.setConnectionPoolName("tollgate-idp");
            return pool;
        } catch (LDAPException | GeneralSecurityException e) {
            throw new IllegalStateException("invalid LDAP configuration: " + e.getMessage(), e);
        }
    }

    private TrustManager trustManager() {
        if (trustAllCertificates) {
            return new TrustAllTrustManager();
        }
        if (trustStorePath != null && !trustStorePath.isBlank()) {
            char[] pin = trustStorePassword == null ? null : trustStorePassword.reveal().toCharArray();
            return new TrustStoreTrustManager(trustStorePath, pin, null, true);
        }
        return null;
    }
}
