package io.tollgate.policy.ldap;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.tollgate.shared.crypto.Secret;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/** The LDAP directory policy-worker reads users from (account status, and the license in the demo). */
public class LdapFactory {
    @NotEmpty
    @JsonProperty
    public String url = "ldap://127.0.0.1:10389";

    @NotEmpty
    @JsonProperty
    public String bindDn = "cn=admin,dc=tollgate,dc=test";

    @NotNull
    @JsonProperty
    public Secret bindPassword = new Secret("admin-secret");

    @NotEmpty
    @JsonProperty
    public String usersDn = "ou=people,dc=tollgate,dc=test";

    @NotEmpty
    @JsonProperty
    public String licenseAttribute = "tollgateLicenseExpires";

    /** Present (and not "false") means the account is disabled. */
    @NotEmpty
    @JsonProperty
    public String disabledAttribute = "pwdAccountLockedTime";

    @Min(1)
    @JsonProperty
    public int poolSize = 4;

    @Min(100)
    @JsonProperty
    public int timeoutMillis = 3_000;

    /** A lazily connecting pool (the directory may start after us); closed with the service. */
    public DirectoryClient build(Environment environment) throws Exception {
        DirectoryClient client = build();
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                client.close();
            }
        });
        return client;
    }

    public DirectoryClient build() throws Exception {
        LDAPURL ldapUrl = new LDAPURL(url);
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis(timeoutMillis);
        options.setResponseTimeoutMillis(timeoutMillis);
        SingleServerSet servers = new SingleServerSet(ldapUrl.getHost(), ldapUrl.getPort(), options);
        LDAPConnectionPool pool = new LDAPConnectionPool(servers,
                new SimpleBindRequest(bindDn, bindPassword.reveal()), 0, poolSize);
        pool.setRetryFailedOperationsDueToInvalidConnections(true);
        return new DirectoryClient(pool, usersDn, licenseAttribute, disabledAttribute);
    }

}
