package io.tollgate.policy.license;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The licence source, chosen in YAML by {@code type}: {@code profile} (the identity provider's: the LDAP
 * {@code licenseAttribute} or the HTTP profile's {@code licenseField}), {@code http} (a separate licence service) or
 * {@code none} (licences are not enforced).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ProfileLicenseSourceFactory.class, name = "profile"),
        @JsonSubTypes.Type(value = HttpLicenseSourceFactory.class, name = "http"),
        @JsonSubTypes.Type(value = NoLicenseSourceFactory.class, name = "none")})
public interface LicenseSourceFactory {
    LicenseSource build();

    /** False for {@code none}: the {@code license} policy is left out of the chain. */
    default boolean enforced() {
        return true;
    }
}
