package io.tollgate.shared.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * HTTP Basic authentication against accounts from configuration (operators, resource servers).
 *
 * <p>A password check is a PBKDF2 hash (210,000 iterations, about 0.1 s of a core; {@link SecretVerifier}
 * remembers the ones that verified). So that wrong passwords are neither a guessing oracle nor a way to burn
 * the server's CPU, each counts against the client address in an {@link AddressGuard}, and while the
 * address is locked no further hash is computed for it. A password verified before the lock still works, so
 * an attacker sharing the operator's address cannot lock the operator out.
 */
public final class BasicAccounts implements BasicAuthenticator {
    /**
     * The challenge of a refused operator call: token-api's {@code /admin} and the portal's
     * {@code /portal/api/admin}, and every service's admin tasks.
     */
    public static final String OPERATOR_CHALLENGE = "Basic realm=\"tollgate-admin\", charset=\"UTF-8\"";

    private final AccountsByName accounts;
    private final SecretVerifier verifier;
    private final AddressGuard guard;
    private final WrongPasswords wrongPasswords;

    /** Told of every wrong password, e.g. to audit it; must not throw. */
    public interface WrongPasswords {
        /**
         * @param account the configured account whose password was wrong, or {@code null} for a name that is no
         *                account (never passed on: it may be a password typed in the wrong field)
         * @param address the client address, may be {@code null}
         */
        void wrongPassword(String account, String address);
    }

    public BasicAccounts(List<Account> accounts, SecretVerifier verifier) {
        this(accounts, verifier, null);
    }

    /** @param guard counts wrong passwords per client address; {@code null} counts nothing */
    public BasicAccounts(List<Account> accounts, SecretVerifier verifier, AddressGuard guard) {
        this(accounts, verifier, guard, null);
    }

    /** @param wrongPasswords told of each wrong password after it was counted; {@code null} for nobody */
    public BasicAccounts(List<Account> accounts, SecretVerifier verifier, AddressGuard guard,
                         WrongPasswords wrongPasswords) {
        this.accounts = new AccountsByName(accounts);
        this.verifier = verifier;
        this.guard = guard;
        this.wrongPasswords = wrongPasswords;
    }

    /** What a check of a request's credentials found. */
    public enum Result {
        /** No {@code Authorization} header, another scheme, or Basic that does not decode to name:password. */
        ABSENT,
        /** An unknown name or a wrong password (the two are not told apart). */
        WRONG,
        /** The address is locked after too many wrong passwords: nothing was hashed. */
        LOCKED,
        AUTHENTICATED
    }

    /**
     * The outcome of a check: the account name when authenticated, or when a configured account's password was
     * wrong (never a name that is not an account: it may be a password typed in the wrong field); how long the
     * address stays locked when locked.
     */
    public record Check(Result result, String name, Duration retryAfter) {
        public static final Check ABSENT = new Check(Result.ABSENT, null, null);
    }

    @Override
    public AccountsByName accounts() {
        return accounts;
    }

    /** The account name, when the header carries valid Basic credentials of a configured account. */
    public Optional<String> authenticate(String authorization) {
        return authenticate(authorization, null);
    }

    /**
     * As {@link #authenticate(String)}, counting a wrong password against {@code ip} (may be {@code null}) and
     * refusing without hashing while that address is locked.
     */
    @Override
    public Optional<String> authenticate(String authorization, String ip) {
        return BasicAuthenticator.super.authenticate(authorization, ip);
    }

    /** As {@link #authenticate(String, String)}, telling why credentials were refused. */
    @Override
    public Check check(String authorization, String ip) {
        if (authorization == null) {
            return Check.ABSENT;
        }
        String[] parts = authorization.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Basic")) {
            return Check.ABSENT;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(parts[1].trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Check.ABSENT;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Check.ABSENT;
        }
        String name = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        Account account = accounts.get(name);
        boolean counted = guard != null && ip != null;
        if (counted && !(account != null && verifier.isRemembered(password, account.passwordHash))) {
            Optional<Duration> locked = guard.lockedFor(ip);
            if (locked.isPresent()) {
                return new Check(Result.LOCKED, null, locked.get());
            }
        }
        // Same work for unknown names, so timing does not reveal which accounts exist.
        boolean ok = verifier.verify(password, account == null ? DUMMY : account.passwordHash) && account != null;
        if (!ok) {
            if (counted) {
                guard.countFailure(ip);
            }
            if (wrongPasswords != null) {
                wrongPasswords.wrongPassword(account == null ? null : name, ip);
            }
            return new Check(Result.WRONG, account == null ? null : name, null);
        }
        return new Check(Result.AUTHENTICATED, name, null);
    }

    private static final String DUMMY =
            "pbkdf2-sha256$210000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
}
