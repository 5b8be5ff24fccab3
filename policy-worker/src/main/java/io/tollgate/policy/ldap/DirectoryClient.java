package io.tollgate.policy.ldap;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.util.StaticUtils;

import java.text.ParseException;
import java.time.Instant;
import java.util.Optional;

/** Reads user entries from the LDAP directory (bound as the service account) through a connection pool. */
public final class DirectoryClient {
    /** What the directory says about one user. */
    public record Entry(String uid, boolean disabled, Instant licenseExpires) {
    }

    private final LDAPConnectionPool pool;
    private final String usersDn;
    private final String licenseAttribute;
    private final String disabledAttribute;

    public DirectoryClient(LDAPConnectionPool pool, String usersDn, String licenseAttribute, String disabledAttribute) {
        this.pool = pool;
        this.usersDn = usersDn;
        this.licenseAttribute = licenseAttribute;
        this.disabledAttribute = disabledAttribute;
    }

    /** The user's entry, or empty when the directory has none. Throws when the directory cannot answer. */
    public Optional<Entry> find(String uid) {
        try {
            SearchResult result = pool.search(usersDn, SearchScope.ONE, Filter.createEqualityFilter("uid", uid),
                    licenseAttribute, disabledAttribute);
            if (result.getEntryCount() != 1) {
                return Optional.empty();
            }
            SearchResultEntry entry = result.getSearchEntries().get(0);
            String disabled = entry.getAttributeValue(disabledAttribute);
            boolean isDisabled = disabled != null && !"false".equalsIgnoreCase(disabled);
            return Optional.of(new Entry(uid, isDisabled, generalizedTime(entry.getAttributeValue(licenseAttribute))));
        } catch (LDAPException e) {
            throw new IllegalStateException("directory unavailable: " + e.getResultCode(), e);
        }
    }

    private static Instant generalizedTime(String value) {
        if (value == null) {
            return null;
        }
        try {
            return StaticUtils.decodeGeneralizedTime(value).toInstant();
        } catch (ParseException e) {
            return null; // an unreadable license is no license (deny by default)
        }
    }

    public void close() {
        pool.close();
    }
}
