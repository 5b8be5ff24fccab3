package io.tollgate.tokenapi.idp;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import io.tollgate.shared.crypto.Secret;
import io.tollgate.shared.ldap.UserSearch;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Search-then-bind against an LDAP directory, with group membership as entitlement. The subject is the entry's
 * stored user id ({@link UserSearch#canonicalId}): {@code Alice} typed, {@code alice} stored, {@code alice} out.
 */
public final class LdapIdentityProvider implements IdentityProvider {
    private static final Set<ResultCode> WRONG_CREDENTIALS = Set.of(ResultCode.INVALID_CREDENTIALS,
            ResultCode.INAPPROPRIATE_AUTHENTICATION, ResultCode.NO_SUCH_OBJECT, ResultCode.UNWILLING_TO_PERFORM,
            ResultCode.INVALID_DN_SYNTAX);

    private final LDAPConnectionPool pool;
    private final LdapIdentityProviderFactory config;
    private final UserSearch users;

    public LdapIdentityProvider(LDAPConnectionPool pool, LdapIdentityProviderFactory config) {
        this.pool = pool;
        this.config = config;
        this.users = new UserSearch(pool, config);
    }

    @Override
    public Optional<Identity> authenticate(String username, Secret password) {
        // An empty password would be an anonymous ("unauthenticated") bind, which succeeds: never allow it.
        if (password == null || password.isEmpty() || username == null || username.isBlank()) {
            return Optional.empty();
        }
        try {
            Optional<SearchResultEntry> user = findUser(username);
            if (user.isEmpty()) {
                return Optional.empty();
            }
            String dn = user.get().getDN();
            try {
                pool.bindAndRevertAuthentication(new SimpleBindRequest(dn, password.reveal()));
            } catch (LDAPException e) {
                if (WRONG_CREDENTIALS.contains(e.getResultCode())) {
                    return Optional.empty();
                }
                throw e;
            }
            return Optional.of(identity(user.get()));
        } catch (LDAPException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Optional<String> resolve(String username) {
        if (username == null || username.isBlank()) {
            return Optional.empty();
        }
        try {
            return findUser(username).map(users::canonicalId);
        } catch (LDAPException e) {
            throw unavailable(e);
        }
    }

    @Override
    public UserLookup lookup(String username) {
        try {
            Optional<SearchResultEntry> user = findUser(username);
            return user.isEmpty() ? UserLookup.notFound() : UserLookup.found(identity(user.get()));
        } catch (LDAPException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void ping() {
        try {
            pool.getEntry(config.userBaseDn, "1.1");
        } catch (LDAPException e) {
            throw unavailable(e);
        }
    }

    private Optional<SearchResultEntry> findUser(String username) throws LDAPException {
        return users.find(username);
    }

    private Identity identity(SearchResultEntry entry) throws LDAPException {
        String uid = users.canonicalId(entry);
        Filter filter = Filter.createANDFilter(
                Filter.createEqualityFilter("objectClass", config.groupObjectClass),
                Filter.createEqualityFilter(config.groupMemberAttribute, entry.getDN()));
        SearchRequest request = new SearchRequest(config.groupBaseDn, SearchScope.SUB, filter,
                config.groupNameAttribute);
        request.setSizeLimit(1000);
        Set<String> groups = new HashSet<>();
        try {
            for (SearchResultEntry group : pool.search(request).getSearchEntries()) {
                String name = group.getAttributeValue(config.groupNameAttribute);
                if (name != null) {
                    groups.add(name);
                }
            }
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
                throw e;
            }
        }
        return new Identity(uid, groups);
    }

    private static IdentityProviderUnavailableException unavailable(LDAPException e) {
        return new IdentityProviderUnavailableException("LDAP: " + e.getResultCode().getName(), e);
    }
}
