package io.tollgate.tokenapi;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tollgate.shared.auth.Account;
import io.tollgate.shared.config.ServiceConfiguration;
import io.tollgate.tokenapi.config.ApiEntitlement;
import io.tollgate.tokenapi.config.ClientAddressSettings;
import io.tollgate.tokenapi.config.LockoutSettings;
import io.tollgate.tokenapi.config.PortalSettings;
import io.tollgate.tokenapi.config.TokenSettings;
import io.tollgate.tokenapi.idp.IdentityProviderFactory;
import io.tollgate.tokenapi.keys.SigningKeysFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * token-api's configuration (see config/local.yml and README.md): node, kafka, redis and operators (also of the admin
 * API and the portal's operator API) as every service has them ({@link ServiceConfiguration}).
 */
public class TokenApiConfiguration extends ServiceConfiguration {

    /** The base URL that serves the metadata, exactly (RFC 8414 §3.3); the {@code iss} of every token. */
    @NotEmpty
    private String issuer = "http://127.0.0.1:8080";

    @Valid
    @NotNull
    private IdentityProviderFactory identityProvider;

    @Valid
    @NotNull
    private SigningKeysFactory keys = new SigningKeysFactory();

    @Valid
    @NotNull
    private TokenSettings tokens = new TokenSettings();

    @Valid
    @NotNull
    private LockoutSettings lockout = new LockoutSettings();

    /** Where the client address comes from behind load balancers (trusted proxies and their forwarded header). */
    @Valid
    @NotNull
    private ClientAddressSettings clientAddress = new ClientAddressSettings();

    /** The developer portal: mail, verification, hashing bounds. */
    @Valid
    @NotNull
    private PortalSettings portal = new PortalSettings();

    /** Entitlement rules per API name. An API without an entry is open to every authenticated user. */
    @Valid
    @NotNull
    private Map<String, ApiEntitlement> entitlements = new HashMap<>();

    /** Resource servers allowed to introspect (HTTP Basic). */
    @Valid
    @NotNull
    private List<Account> resourceServers = new ArrayList<>();

    @JsonProperty
    public String getIssuer() {
        return issuer;
    }

    @JsonProperty
    public void setIssuer(String issuer) {
        this.issuer = issuer;
    }

    @JsonProperty
    public IdentityProviderFactory getIdentityProvider() {
        return identityProvider;
    }

    @JsonProperty
    public void setIdentityProvider(IdentityProviderFactory identityProvider) {
        this.identityProvider = identityProvider;
    }

    @JsonProperty
    public SigningKeysFactory getKeys() {
        return keys;
    }

    @JsonProperty
    public void setKeys(SigningKeysFactory keys) {
        this.keys = keys;
    }

    @JsonProperty
    public TokenSettings getTokens() {
        return tokens;
    }

    @JsonProperty
    public void setTokens(TokenSettings tokens) {
        this.tokens = tokens;
    }

    @JsonProperty
    public LockoutSettings getLockout() {
        return lockout;
    }

    @JsonProperty
    public void setLockout(LockoutSettings lockout) {
        this.lockout = lockout;
    }

    @JsonProperty
    public PortalSettings getPortal() {
        return portal;
    }

    @JsonProperty
    public void setPortal(PortalSettings portal) {
        this.portal = portal;
    }

    @JsonProperty
    public Map<String, ApiEntitlement> getEntitlements() {
        return entitlements;
    }

    @JsonProperty
    public void setEntitlements(Map<String, ApiEntitlement> entitlements) {
        this.entitlements = entitlements;
    }

    @JsonProperty
    public List<Account> getResourceServers() {
        return resourceServers;
    }

    @JsonProperty
    public void setResourceServers(List<Account> resourceServers) {
        this.resourceServers = resourceServers;
    }

    @JsonProperty
    public ClientAddressSettings getClientAddress() {
        return clientAddress;
    }

    @JsonProperty
    public void setClientAddress(ClientAddressSettings clientAddress) {
        this.clientAddress = clientAddress;
    }
}
