package io.tollgate.tokenapi;

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
    public String issuer = "http://127.0.0.1:8080";

    @Valid
    @NotNull
    public IdentityProviderFactory identityProvider;

    @Valid
    @NotNull
    public SigningKeysFactory keys = new SigningKeysFactory();

    @Valid
    @NotNull
    public TokenSettings tokens = new TokenSettings();

    @Valid
    @NotNull
    public LockoutSettings lockout = new LockoutSettings();

    /** Where the client address comes from behind load balancers (trusted proxies and their forwarded header). */
    @Valid
    @NotNull
    public ClientAddressSettings clientAddress = new ClientAddressSettings();

    /** The developer portal: mail, verification, hashing bounds. */
    @Valid
    @NotNull
    public PortalSettings portal = new PortalSettings();

    /** Entitlement rules per API name. An API without an entry is open to every authenticated user. */
    @Valid
    @NotNull
    public Map<String, ApiEntitlement> entitlements = new HashMap<>();

    /** Resource servers allowed to introspect (HTTP Basic). */
    @Valid
    @NotNull
    public List<Account> resourceServers = new ArrayList<>();
}
