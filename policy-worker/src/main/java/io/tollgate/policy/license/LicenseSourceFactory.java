package io.tollgate.policy.license;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.tollgate.policy.ldap.DirectoryClient;

/** The license source, chosen in YAML by {@code type}: {@code ldap} (directory attribute) or {@code http}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = LdapLicenseSourceFactory.class, name = "ldap"),
        @JsonSubTypes.Type(value = HttpLicenseSourceFactory.class, name = "http")})
public interface LicenseSourceFactory {
    LicenseSource build(DirectoryClient directory);
}
