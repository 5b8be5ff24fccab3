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
 *
 * <p>Two pools: searches run on connections bound as the service account; passwords are checked by binding as the
 * user on connections of their own, which then stay authenticated as whoever bound last and so never serve a
 * search (the service account's connections are never re-bound). A password login is one user search
 * ({@link #find}), one bind and one group search.
 */
public final class LdapIdentityProvider implements IdentityProvider {
    private static final Set<ResultCode> WRONG_CREDENTIALS = Set.of(ResultCode.INVALID_CREDENTIALS,
            ResultCode.INAPPROPRIATE_AUTHENTICATION, ResultCode.NO_SUCH_OBJECT, ResultCode.UNWILLING_TO_PERFORM,
            ResultCode.INVALID_DN_SYNTAX);

    private final LDAPConnectionPool searches;
    private final LDAPConnectionPool binds;
    private final LdapIdentityProviderFactory config;
    private final UserSearch users;

    /**
     * @param searches connections bound as the service account
     * @param binds    connections for users' binds only ({@link LdapIdentityProviderFactory#bindPool})
     */
    public LdapIdentityProvider(LDAPConnectionPool searches, LDAPConnectionPool binds,
                                LdapIdentityProviderFactory config) {
        this.searches = searches;
        this.binds = binds;
        this.config = config;
        this.users = new UserSearch(searches, config);
    }

    @Override
    public Candidate find(String username) {
        if (username == null || username.isBlank()) {
            return Candidate.unknown(username == null ? "" : username);
        }
        try {
            return users.find(username).map(entry -> Candidate.known(users.canonicalId(entry), entry.getDN()))
                    .orElseGet(() -> Candidate.unknown(username));
        } catch (LDAPException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Optional<Identity> authenticate(Candidate candidate, Secret password) {
        // An empty password would be an anonymous ("unauthenticated") bind, which succeeds: never allow it.
        if (password == null || password.isEmpty() || candidate.status() != Candidate.Status.KNOWN) {
            return Optional.empty();
        }
        try {
            try {
                binds.bind(new SimpleBindRequest(candidate.reference(), new OneBindPassword(password)));
            } catch (LDAPException e) {
                if (WRONG_CREDENTIALS.contains(e.getResultCode())) {
                    return Optional.empty();
                }
                throw e;
            }
            return Optional.of(identity(candidate.account(), candidate.reference()));
        } catch (LDAPException e) {
            throw unavailable(e);
        }
    }

    @Override
    public UserLookup lookup(String username) {
        try {
            Optional<SearchResultEntry> user = users.find(username);
            return user.isEmpty() ? UserLookup.notFound()
                    : UserLookup.found(identity(users.canonicalId(user.get()), user.get().getDN()));
        } catch (LDAPException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void ping() {
        try {
            searches.getEntry(config.userBaseDn, "1.1");
        } catch (LDAPException e) {
            throw unavailable(e);
        }
    }

    /** The user {@code uid} at {@code dn} with the names of the groups that list {@code dn} as a member. */
    private Identity identity(String uid, String dn) throws LDAPException {
        Filter filter = Filter.createANDFilter(
                Filter.createEqualityFilter("objectClass", config.groupObjectClass),
                Filter.createEqualityFilter(config.groupMemberAttribute, dn));
        SearchRequest request = new SearchRequest(config.groupBaseDn, SearchScope.SUB, filter,
                config.groupNameAttribute);
        request.setSizeLimit(1000);
        Set<String> groups = new HashSet<>();
        try {
            for (SearchResultEntry group : searches.search(request).getSearchEntries()) {
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
