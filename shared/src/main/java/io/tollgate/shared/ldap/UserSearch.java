package io.tollgate.shared.ldap;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Finds one user entry by the name someone typed, the same way in every service: an escaped equality filter on
 * {@code userIdAttribute} (the directory's own matching rule decides what matches, e.g. case-insensitively) under
 * {@code userBaseDn}. The entry's stored {@code userIdAttribute} value, {@link #canonicalId}, is the user's id
 * everywhere after that, never the name as typed.
 */
public final class UserSearch {
    private static final Logger LOG = LoggerFactory.getLogger(UserSearch.class);

    private final LDAPConnectionPool pool;
    private final LdapDirectoryFactory config;

    public UserSearch(LDAPConnectionPool pool, LdapDirectoryFactory config) {
        this.pool = pool;
        this.config = config;
    }

    /**
     * @param attributes the attributes to read besides the user id
     * @return the one entry the name matches; empty when none or more than one does
     * @throws LDAPException when the directory cannot answer
     */
    public Optional<SearchResultEntry> find(String name, String... attributes) throws LDAPException {
        // createEqualityFilter escapes the value (RFC 4515): no LDAP injection through the name.
        Filter filter = Filter.createANDFilter(
                Filter.createEqualityFilter("objectClass", config.userObjectClass),
                Filter.createEqualityFilter(config.userIdAttribute, name));
        String[] wanted = new String[attributes.length + 1];
        wanted[0] = config.userIdAttribute;
        System.arraycopy(attributes, 0, wanted, 1, attributes.length);
        SearchRequest request = new SearchRequest(config.userBaseDn, SearchScope.SUB, filter, wanted);
        request.setSizeLimit(2);
        request.setTimeLimitSeconds((int) Math.max(1, config.responseTimeout.toJavaDuration().toSeconds()));
        SearchResult result;
        try {
            result = pool.search(request);
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                return Optional.empty();
            }
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                LOG.warn("event=ldap.ambiguous_user attribute={}", config.userIdAttribute);
                return Optional.empty();
            }
            throw e;
        }
        if (result.getEntryCount() != 1 || canonicalId(result.getSearchEntries().get(0)) == null) {
            return Optional.empty();
        }
        return Optional.of(result.getSearchEntries().get(0));
    }

    /** The user's id as the directory stores it (its first value when several). */
    public String canonicalId(SearchResultEntry entry) {
        String id = entry.getAttributeValue(config.userIdAttribute);
        return id == null || id.isBlank() ? null : id;
    }
}
