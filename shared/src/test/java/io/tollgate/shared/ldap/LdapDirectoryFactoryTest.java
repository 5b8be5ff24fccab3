package io.tollgate.shared.ldap;

import io.dropwizard.jersey.validation.Validators;
import io.tollgate.shared.crypto.Secret;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class LdapDirectoryFactoryTest {
    private final Validator validator = Validators.newValidator();

    private Set<String> violations(LdapDirectoryFactory f) {
        return validator.validate(f).stream().map(ConstraintViolation::getMessage).collect(Collectors.toSet());
    }

    @Test
    void noSecretHasADefault() {
        LdapDirectoryFactory f = new LdapDirectoryFactory();
        assertThat(f.bindPassword).isNull();
        f.bindDn = "cn=admin,dc=tollgate,dc=test";
        assertThat(violations(f)).containsExactly("bindPassword is required with a bindDn");
        f.bindPassword = Secret.of("s");
        assertThat(violations(f)).isEmpty();
    }

    @Test
    void theUrlSchemeMustMatchTheSecurity() {
        LdapDirectoryFactory f = new LdapDirectoryFactory();
        f.urls = List.of("ldaps://ldap.example.test:636");
        assertThat(violations(f)).containsExactly("urls must be ldaps:// with security ldaps, ldap:// otherwise");
        f.security = LdapDirectoryFactory.Security.LDAPS;
        assertThat(violations(f)).isEmpty();
        f.urls = List.of("ldaps://a.example.test", "ldap://b.example.test");
        assertThat(violations(f)).isNotEmpty();
        f.security = LdapDirectoryFactory.Security.STARTTLS;
        f.urls = List.of("ldap://a.example.test:389");
        assertThat(violations(f)).isEmpty();
    }
}
