package io.tollgate.testkit;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedAddRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedAddResult;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedDeleteResult;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyDNResult;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyResult;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPResult;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keeps {@code memberOf} on the entries that {@code groupOfNames} groups list as {@code member}, the way OpenLDAP's
 * memberof overlay does: each member entry's {@code memberOf} holds the DNs of its groups, and clients cannot write
 * it. {@link #refresh} sets every entry's {@code memberOf} from the groups as they are; as an interceptor this runs
 * it after every write over LDAP that can change a membership (a group added, a {@code member} modified, any delete
 * or rename), before the client gets its answer. Writes through the {@link InMemoryDirectoryServer}'s own methods do
 * not pass interceptors: whoever makes them calls {@link #refresh} (as {@link LdapDirectory} does after loading).
 * A member DN with no entry is left out (the overlay keeps no dangling reference either).
 */
final class MemberOfMaintenance extends InMemoryOperationInterceptor {
    static final String ATTRIBUTE = "memberOf";
    private static final String GROUP_CLASS = "groupOfNames";
    private static final String MEMBER = "member";

    private final String baseDn;
    private InMemoryDirectoryServer server;

    MemberOfMaintenance(String baseDn) {
        this.baseDn = baseDn;
    }

    /** The server this keeps (an interceptor is configured before its server exists). */
    void attach(InMemoryDirectoryServer server) {
        this.server = server;
    }

    /** Sets {@code memberOf} on every entry under the base to the DNs of the groups that list it. */
    synchronized void refresh() throws LDAPException {
        Map<DN, Set<DN>> wanted = new HashMap<>();
        for (SearchResultEntry group : server.search(baseDn, SearchScope.SUB,
                Filter.createEqualityFilter("objectClass", GROUP_CLASS), MEMBER).getSearchEntries()) {
            DN groupDn = group.getParsedDN();
            for (String member : group.getAttributeValues(MEMBER) == null ? new String[0]
                    : group.getAttributeValues(MEMBER)) {
                try {
                    wanted.computeIfAbsent(new DN(member), dn -> new LinkedHashSet<>()).add(groupDn);
                } catch (LDAPException malformed) {
                    // a member value that is no DN names no entry
                }
            }
        }
        Map<DN, Set<DN>> present = new HashMap<>();
        for (SearchResultEntry holder : server.search(baseDn, SearchScope.SUB,
                Filter.createPresenceFilter(ATTRIBUTE), ATTRIBUTE).getSearchEntries()) {
            Set<DN> groups = new HashSet<>();
            for (String dn : holder.getAttributeValues(ATTRIBUTE)) {
                groups.add(new DN(dn));
            }
            present.put(holder.getParsedDN(), groups);
        }
        Set<DN> entries = new HashSet<>(wanted.keySet());
        entries.addAll(present.keySet());
        for (DN entry : entries) {
            Set<DN> groups = wanted.getOrDefault(entry, Set.of());
            if (new HashSet<>(groups).equals(present.getOrDefault(entry, Set.of())) || !server.entryExists(entry.toString())) {
                continue;
            }
            server.modify(entry.toString(), new Modification(ModificationType.REPLACE, ATTRIBUTE,
                    groups.stream().map(DN::toString).toArray(String[]::new)));
        }
    }

    @Override
    public void processAddRequest(InMemoryInterceptedAddRequest request) throws LDAPException {
        if (request.getRequest().hasAttribute(ATTRIBUTE)) {
            throw maintained();
        }
    }

    @Override
    public void processModifyRequest(InMemoryInterceptedModifyRequest request) throws LDAPException {
        for (Modification modification : request.getRequest().getModifications()) {
            if (modification.getAttributeName().equalsIgnoreCase(ATTRIBUTE)) {
                throw maintained();
            }
        }
    }

    @Override
    public void processAddResult(InMemoryInterceptedAddResult result) {
        Attribute classes = result.getRequest().toEntry().getObjectClassAttribute();
        if (classes != null && classes.hasValue(GROUP_CLASS)) {
            refreshAfter(result.getResult(), result::setResult);
        }
    }

    @Override
    public void processModifyResult(InMemoryInterceptedModifyResult result) {
        for (Modification modification : result.getRequest().getModifications()) {
            if (modification.getAttributeName().equalsIgnoreCase(MEMBER)) {
                refreshAfter(result.getResult(), result::setResult);
                return;
            }
        }
    }

    @Override
    public void processDeleteResult(InMemoryInterceptedDeleteResult result) {
        refreshAfter(result.getResult(), result::setResult);
    }

    @Override
    public void processModifyDNResult(InMemoryInterceptedModifyDNResult result) {
        refreshAfter(result.getResult(), result::setResult);
    }

    /**
     * Refreshes after a write that succeeded; a refresh that fails turns the write's answer into an error, so a
     * test never reads a membership the directory did not carry through.
     */
    private void refreshAfter(LDAPResult written, Consumer<LDAPResult> answer) {
        if (written.getResultCode() != ResultCode.SUCCESS) {
            return;
        }
        try {
            refresh();
        } catch (LDAPException e) {
            answer.accept(new LDAPResult(written.getMessageID(), ResultCode.OTHER,
                    "memberOf not carried through: " + e.getMessage(), null, (String[]) null, null));
        }
    }

    private static LDAPException maintained() {
        return new LDAPException(ResultCode.CONSTRAINT_VIOLATION, ATTRIBUTE + " is kept by the directory");
    }
}
