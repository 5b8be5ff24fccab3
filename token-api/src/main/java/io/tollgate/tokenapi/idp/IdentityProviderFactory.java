package io.tollgate.tokenapi.idp;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.dropwizard.core.setup.Environment;

/** The configured identity provider, chosen in YAML by {@code type: ldap | http}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = LdapIdentityProviderFactory.class, name = "ldap"),
        @JsonSubTypes.Type(value = HttpIdentityProviderFactory.class, name = "http")
})
public interface IdentityProviderFactory {
    /** Builds the provider, binds its resources to the service's lifecycle. */
    IdentityProvider build(Environment environment);
}
