package io.tollgate.policy.ldap;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchResultEntry;
import io.tollgate.policy.account.AccountEntry;
import io.tollgate.policy.account.AccountSource;
import io.tollgate.policy.core.SourceUnavailableException;
import io.tollgate.shared.ldap.GeneralizedTime;
import io.tollgate.shared.ldap.UserSearch;

import java.time.Instant;
import java.util.Optional;

/**
 * Reads user entries from the LDAP directory (bound as the service account) through a connection pool: the entry's
 * stored (canonical) id, {@code disabledAttribute} (present and not "false" = disabled) and
 * {@code licenseAttribute} (generalized time).
 */
public final class DirectoryClient implements AccountSource {

    private final LDAPConnectionPool pool;
    private final UserSearch users;
    private final String licenseAttribute;
    private final String disabledAttribute;

    public DirectoryClient(LDAPConnectionPool pool, LdapFactory config) {
        this.pool = pool;
        this.users = new UserSearch(pool, config);
        this.licenseAttribute = config.licenseAttribute;
        this.disabledAttribute = config.disabledAttribute;
    }

    /** The user's entry, or empty when the directory has none. Throws when the directory cannot answer. */
    @Override
    public Optional<AccountEntry> find(String uid) {
        try {
            Optional<SearchResultEntry> found = users.find(uid, licenseAttribute, disabledAttribute);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            SearchResultEntry entry = found.get();
            String disabled = entry.getAttributeValue(disabledAttribute);
            boolean isDisabled = disabled != null && !"false".equalsIgnoreCase(disabled);
            return Optional.of(new AccountEntry(users.canonicalId(entry), isDisabled,
                    licenseExpires(entry)));
        } catch (LDAPException e) {
            throw new SourceUnavailableException("directory unavailable: " + e.getResultCode(), e);
        }
    }

    private Instant licenseExpires(SearchResultEntry entry) {
        try {
            return GeneralizedTime.parse(entry.getAttributeValue(licenseAttribute));
        } catch (IllegalArgumentException e) {
            return null; // an unreadable license is no license (deny by default)
        }
    }

    public void close() {
        pool.close();
    }
}
