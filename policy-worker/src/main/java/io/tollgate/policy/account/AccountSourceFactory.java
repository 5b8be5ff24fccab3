package io.tollgate.policy.account;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.dropwizard.core.setup.Environment;
import io.tollgate.policy.ldap.LdapFactory;

/**
 * The account source, chosen in YAML under {@code identityProvider} by {@code type}: {@code ldap} (the directory,
 * token-api's LDAP keys), {@code http} (the HTTP identity provider's profile endpoint, token-api's HTTP keys) or
 * {@code none} (every user exists and is enabled: the account check is off).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = LdapFactory.class, name = "ldap"),
        @JsonSubTypes.Type(value = HttpAccountSourceFactory.class, name = "http"),
        @JsonSubTypes.Type(value = NoAccountSourceFactory.class, name = "none")})
public interface AccountSourceFactory {
    /** Builds the source and binds its resources to the service's lifecycle. */
    AccountSource build(Environment environment);
}
