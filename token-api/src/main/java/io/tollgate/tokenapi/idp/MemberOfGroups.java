package io.tollgate.tokenapi.idp;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;

import java.util.HashSet;
import java.util.Set;

/**
 * Group names from the DNs a user entry's {@code memberOf} lists (Active Directory, OpenLDAP's memberof overlay,
 * 389-DS's memberOf plugin). A DN names a group when it is at or below the group base (compared as DNs, not as
 * strings) and its RDN is one {@code nameAttribute} value (attribute name in any case): the name is that value,
 * unescaped ({@code cn=a\,b} is {@code a,b}). Anything else, a DN outside the group base or one that does not
 * parse, names no group: no value grants an entitlement the group base does not hold.
 */
final class MemberOfGroups {
    private final DN groupBase;
    private final String nameAttribute;

    /** @throws IllegalArgumentException when {@code groupBaseDn} is no DN */
    MemberOfGroups(String groupBaseDn, String nameAttribute) {
        try {
            this.groupBase = new DN(groupBaseDn);
        } catch (LDAPException e) {
            throw new IllegalArgumentException("groupBaseDn is no DN: " + e.getMessage(), e);
        }
        this.nameAttribute = nameAttribute;
    }

    /** @param memberOf the attribute's values; null when the entry has none */
    Set<String> names(String[] memberOf) {
        Set<String> names = new HashSet<>();
        if (memberOf == null) {
            return names;
        }
        for (String value : memberOf) {
            String name = name(value);
            if (name != null) {
                names.add(name);
            }
        }
        return names;
    }

    /** The group name {@code value} stands for, or null. */
    String name(String value) {
        try {
            DN dn = new DN(value);
            RDN rdn = dn.getRDN();
            boolean group = rdn != null && !rdn.isMultiValued() && dn.isDescendantOf(groupBase, true)
                    && rdn.getAttributeNames()[0].equalsIgnoreCase(nameAttribute)
                    && !rdn.getAttributeValues()[0].isEmpty();
            return group ? rdn.getAttributeValues()[0] : null;
        } catch (LDAPException malformed) {
            return null;
        }
    }
}
