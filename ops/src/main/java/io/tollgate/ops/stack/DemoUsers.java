package io.tollgate.ops.stack;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldif.LDIFException;
import com.unboundid.ldif.LDIFReader;
import io.tollgate.shared.ldap.GeneralizedTime;
import io.tollgate.testkit.LdapDirectory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo users as the HTTP identity provider sees them, read from the same LDIF as the demo LDAP directory
 * ({@link LdapDirectory#DEMO_LDIF}): uid, password, groups ({@code groupOfNames} members), licence end
 * ({@code tollgateLicenseExpires}) and disabled ({@code pwdAccountLockedTime} present). So the demo data behaves
 * the same with either provider. Passwords are kept only as salted SHA-256 digests and compared in constant time.
 */
final class DemoUsers {
    /** One user; {@code licenseExpires} null when the entry has none. */
    record User(String sub, Set<String> groups, boolean disabled, Instant licenseExpires) {
    }

    private record Stored(User user, byte[] passwordDigest) {
    }

    private final byte[] salt = new byte[16];
    /** By lower-cased uid: uid matching is case-insensitive, as in the directory. */
    private final Map<String, Stored> users = new ConcurrentHashMap<>();
    /** Compared against when the user is unknown, so an unknown name costs the same as a wrong password. */
    private final byte[] unknownDigest;

    private DemoUsers() {
        new SecureRandom().nextBytes(salt);
        unknownDigest = digest("no such user " + System.nanoTime());
    }

    /** The demo directory's users. */
    static DemoUsers demo() {
        return fromLdif(LdapDirectory.DEMO_LDIF);
    }

    static DemoUsers fromLdif(String resource) {
        DemoUsers result = new DemoUsers();
        List<Entry> people = new ArrayList<>();
        Map<String, Set<String>> groupsByMemberDn = new HashMap<>();
        try (InputStream in = DemoUsers.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no LDIF on the classpath at " + resource);
            }
            LDIFReader reader = new LDIFReader(in);
            for (Entry entry = reader.readEntry(); entry != null; entry = reader.readEntry()) {
                if (entry.hasObjectClass("groupOfNames")) {
                    String group = entry.getAttributeValue("cn");
                    for (String member : entry.getAttributeValues("member")) {
                        groupsByMemberDn.computeIfAbsent(normalise(member), k -> new TreeSet<>()).add(group);
                    }
                } else if (entry.hasAttribute("uid") && entry.hasAttribute("userPassword")) {
                    people.add(entry);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (LDIFException e) {
            throw new IllegalStateException("invalid LDIF " + resource + ": " + e.getMessage(), e);
        }
        for (Entry person : people) {
            String uid = person.getAttributeValue("uid");
            result.put(new User(uid, Set.copyOf(groupsByMemberDn.getOrDefault(normalise(person.getDN()), Set.of())),
                    person.hasAttribute("pwdAccountLockedTime"),
                    GeneralizedTime.parse(person.getAttributeValue("tollgateLicenseExpires"))),
                    person.getAttributeValue("userPassword"));
        }
        return result;
    }

    /**
     * The bench population {@link LdapDirectory#addBenchUsers} adds to the directory: {@code user0001..} with
     * passwords {@code pw-0001..}, in {@code mobile-users}, licence valid.
     */
    void addBenchUsers(int count) {
        Instant licence = GeneralizedTime.parse("20991231235959Z");
        for (int i = 1; i <= count; i++) {
            put(new User(String.format("user%04d", i), Set.of("mobile-users"), false, licence),
                    String.format("pw-%04d", i));
        }
    }

    /** The user whose uid matches {@code username} (case-insensitively), if the password is theirs. */
    Optional<User> check(String username, String password) {
        Stored stored = users.get(key(username));
        boolean match = MessageDigest.isEqual(digest(password), stored == null ? unknownDigest : stored.passwordDigest());
        return stored != null && match ? Optional.of(stored.user()) : Optional.empty();
    }

    Optional<User> profile(String sub) {
        return Optional.ofNullable(users.get(key(sub))).map(Stored::user);
    }

    /** Sets a user's disabled flag (what an administrator does in the provider); false if there is no such user. */
    boolean setDisabled(String sub, boolean disabled) {
        Stored changed = users.computeIfPresent(key(sub), (k, s) -> new Stored(new User(s.user().sub(),
                s.user().groups(), disabled, s.user().licenseExpires()), s.passwordDigest()));
        return changed != null;
    }

    private void put(User user, String password) {
        users.put(key(user.sub()), new Stored(user, digest(password)));
    }

    private byte[] digest(String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            return sha.digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String key(String uid) {
        return uid == null ? "" : uid.toLowerCase(Locale.ROOT);
    }

    private static String normalise(String dn) {
        try {
            return new com.unboundid.ldap.sdk.DN(dn).toNormalizedString();
        } catch (LDAPException e) {
            throw new IllegalStateException("invalid DN in the demo LDIF: " + dn, e);
        }
    }
}
