package io.tollgate.tokenapi.idp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemberOfGroupsTest {
    static final String BASE = "ou=groups,dc=tollgate,dc=test";
    final MemberOfGroups groups = new MemberOfGroups(BASE, "cn");

    @Test
    void aGroupUnderTheBaseIsNamedByItsRdnValue() {
        assertThat(groups.name("cn=mobile-users," + BASE)).isEqualTo("mobile-users");
        assertThat(groups.name("cn=eu,ou=regions," + BASE)).as("below the base, not only directly")
                .isEqualTo("eu");
    }

    @Test
    void outsideTheGroupBaseNamesNoGroup() {
        assertThat(groups.name("cn=mobile-users,ou=people,dc=tollgate,dc=test")).isNull();
        assertThat(groups.name("cn=mobile-users,ou=groups,dc=other,dc=test")).isNull();
        assertThat(groups.name("cn=mobile-users,ou=groups,dc=tollgate,dc=test,dc=evil")).isNull();
        // a string suffix is not a place in the tree: cn=x,ou=evilou=groups,... is under ou=evilou=groups
        assertThat(groups.name("cn=mobile-users,ou=fake" + BASE)).isNull();
        assertThat(groups.name("cn=mobile-users,ou=x\\," + BASE)).as("an escaped comma is part of the RDN value")
                .isNull();
        assertThat(groups.name(BASE)).as("the base itself").isNull();
    }

    @Test
    void theBaseIsComparedAsADnNotAsAString() {
        assertThat(groups.name("CN=mobile-users,OU=Groups, DC=Tollgate , dc=TEST")).isEqualTo("mobile-users");
        assertThat(new MemberOfGroups("OU=Groups,DC=Tollgate,DC=Test", "CN").name("cn=mobile-users," + BASE))
                .isEqualTo("mobile-users");
    }

    @Test
    void onlyASingleRdnOfTheNameAttributeNamesAGroup() {
        assertThat(groups.name("cn=mobile-users+ou=x," + BASE)).as("multi-valued RDN").isNull();
        assertThat(groups.name("ou=mobile-users," + BASE)).as("another RDN attribute").isNull();
        assertThat(groups.name("cnx=mobile-users," + BASE)).isNull();
        assertThat(groups.name("Cn=mobile-users," + BASE)).as("attribute names in any case")
                .isEqualTo("mobile-users");
    }

    @Test
    void theNameIsTheRdnValueUnescapedWithItsCaseKept() {
        assertThat(groups.name("cn=a\\,b," + BASE)).isEqualTo("a,b");
        assertThat(groups.name("cn=a\\2Cb," + BASE)).isEqualTo("a,b");
        assertThat(groups.name("cn=Mobile-Users," + BASE)).isEqualTo("Mobile-Users");
        assertThat(groups.name("cn=\\+plus\\=eq," + BASE)).isEqualTo("+plus=eq");
    }

    @Test
    void malformedValuesNameNoGroup() {
        assertThat(groups.name("not a dn")).isNull();
        assertThat(groups.name("cn=a,b," + BASE)).isNull();
        assertThat(groups.name("")).isNull();
        assertThat(groups.name("cn=," + BASE)).as("an empty name").isNull();
    }

    @Test
    void namesKeepsOnlyTheValuesThatNameGroups() {
        assertThat(groups.names(null)).isEmpty();
        assertThat(groups.names(new String[] {"cn=mobile-users," + BASE, "cn=admins,ou=other,dc=test", "junk",
                "cn=auditors," + BASE})).containsExactlyInAnyOrder("mobile-users", "auditors");
    }

    @Test
    void aGroupBaseThatIsNoDnIsRefused() {
        assertThatThrownBy(() -> new MemberOfGroups("not a dn", "cn")).isInstanceOf(IllegalArgumentException.class);
    }
}
