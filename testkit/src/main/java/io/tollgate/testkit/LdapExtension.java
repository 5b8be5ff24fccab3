package io.tollgate.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension giving a test class the demo LDAP directory (or another LDIF) on a free port.
 * {@code TOLLGATE_TEST_LDAP=ldap://host:port} points at an existing directory loaded with the demo data.
 */
public final class LdapExtension implements BeforeAllCallback, AfterAllCallback {
    private final String ldif;
    private LdapDirectory directory;
    private String url;

    public LdapExtension() {
        this(LdapDirectory.DEMO_LDIF);
    }

    public LdapExtension(String ldifResource) {
        this.ldif = ldifResource;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        String existing = System.getenv("TOLLGATE_TEST_LDAP");
        if (existing != null && !existing.isBlank()) {
            url = existing;
            return;
        }
        directory = LdapDirectory.start(0, ldif);
        url = directory.url();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (directory != null) {
            directory.close();
        }
    }

    public String url() {
        return url;
    }

    public String host() {
        return java.net.URI.create(url).getHost();
    }

    public int port() {
        return java.net.URI.create(url).getPort();
    }

    /** The in-process directory, for changes and outages; fails for an external one. */
    public LdapDirectory directory() {
        if (directory == null) {
            throw new UnsupportedOperationException("this directory was not started by the fixture");
        }
        return directory;
    }
}
