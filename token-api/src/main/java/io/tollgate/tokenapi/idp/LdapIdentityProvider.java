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
 * search (the service account's connections are never re-bound). Groups come from where
 * {@link LdapIdentityProviderFactory#groupsFrom} says: with {@code memberSearch} a password login is one user search
 * ({@link #find}), one bind and one group search, and a {@link #lookup} a user search and a group search; with
 * {@code memberOf} the user search reads the entry's memberOf as well ({@link MemberOfGroups}), so a login is one user
 * search and one bind, and a lookup one user search.
 */
public final class LdapIdentityProvider implements IdentityProvider {
    private static final Set<ResultCode> WRONG_CREDENTIALS = Set.of(ResultCode.INVALID_CREDENTIALS,
            ResultCode.INAPPROPRIATE_AUTHENTICATION, ResultCode.NO_SUCH_OBJECT, ResultCode.UNWILLING_TO_PERFORM,
            ResultCode.INVALID_DN_SYNTAX);

    private final LDAPConnectionPool searches;
    private final LDAPConnectionPool binds;
    private final LdapIdentityProviderFactory config;
    private final UserSearch users;
    /** The groups from the user entry's memberOf; null when groups are searched by member. */
    private final MemberOfGroups memberOf;

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
        this.memberOf = config.groupsFrom == LdapIdentityProviderFactory.GroupSource.MEMBER_OF
                ? new MemberOfGroups(config.groupBaseDn, config.groupNameAttribute) : null;
    }

    @Override
    public Candidate find(String username) {
        if (username == null || username.isBlank()) {
            return Candidate.unknown(username == null ? "" : username);
        }
        try {
            return user(username).map(entry -> memberOf == null
                            ? Candidate.known(users.canonicalId(entry), entry.getDN())
                            : Candidate.known(users.canonicalId(entry), entry.getDN(), groups(entry)))
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
            return Optional.of(candidate.groups() != null ? new Identity(candidate.account(), candidate.groups())
                    : identity(candidate.account(), candidate.reference()));
        } catch (LDAPException e) {
            throw unavailable(e);
        }
    }

    @Override
    public UserLookup lookup(String username) {
        try {
            Optional<SearchResultEntry> user = user(username);
            if (user.isEmpty()) {
                return UserLookup.notFound();
            }
            String uid = users.canonicalId(user.get());
            return UserLookup.found(memberOf == null ? identity(uid, user.get().getDN())
                    : new Identity(uid, groups(user.get())));
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

    /** The user entry, with its memberOf attribute when groups come from there. */
    private Optional<SearchResultEntry> user(String username) throws LDAPException {
        return memberOf == null ? users.find(username) : users.find(username, config.memberOfAttribute);
    }

    private Set<String> groups(SearchResultEntry user) {
        return memberOf.names(user.getAttributeValues(config.memberOfAttribute));
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
