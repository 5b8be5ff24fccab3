package io.tollgate.tokenapi.core;

import io.tollgate.shared.auth.Account;
import io.tollgate.shared.auth.AccountsByName;
import io.tollgate.shared.auth.BasicAccounts;
import io.tollgate.shared.auth.BasicAuthenticator;
import io.tollgate.shared.auth.SecretVerifier;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.registry.RegistryView;
import io.tollgate.tokenapi.api.OAuthException;
import io.tollgate.tokenapi.redis.BruteForceGuard;
import io.tollgate.tokenapi.redis.BruteForceGuard.Counters;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * token-api's one authenticator: every endpoint that checks a secret goes through it. OAuth clients (token
 * endpoint, RFC 7009 revocation) are looked up in the registry view; resource servers (RFC 7662 introspection)
 * and operators ({@code /admin}, the portal's admin API, the admin port's tasks) are accounts from configuration.
 * Credentials are read by {@link ClientCredentials} (plain and form-urlencoded HTTP Basic alike).
 *
 * <p>A secret check is a PBKDF2 hash (tens of milliseconds of a core): so that wrong secrets are neither a
 * guessing oracle nor a way to burn the CPU, each counts against the client address in the one
 * {@link BruteForceGuard}, and while the address is locked no secret is hashed for it. A secret that already
 * verified ({@link SecretVerifier#isRemembered}) costs nothing and still works, so an attacker sharing a client's
 * or an operator's address cannot lock it out. Client secrets count in the logins' address counters (a locked
 * address is also refused its logins); account passwords in counters of their own ({@link Counters}).
 */
public final class ClientAuthenticator {
    private static final String DUMMY_HASH =
            "pbkdf2-sha256$210000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    private final RegistryView registry;
    private final SecretVerifier secrets;
    private final BruteForceGuard guard;

    public ClientAuthenticator(RegistryView registry, SecretVerifier secrets, BruteForceGuard guard) {
        this.registry = registry;
        this.secrets = secrets;
        this.guard = guard;
    }

    /**
     * The client of a token or revocation request: public clients send no secret; confidential clients must
     * authenticate with one of their secret readings.
     *
     * @throws OAuthException invalid_request for malformed credentials; invalid_client (401, with a Basic
     *                        challenge when Basic was used) for an unknown client, a wrong secret, or a secret
     *                        sent from a locked address
     */
    public ApplicationRecord client(String authorization, Map<String, String> form, String ip) {
        return client(ClientCredentials.from(authorization, form), ip);
    }

    /** As {@link #client(String, Map, String)} for credentials already read. */
    public ApplicationRecord client(ClientCredentials credentials, String ip) {
        ApplicationRecord app = null;
        for (String id : credentials.idCandidates()) {
            Optional<ApplicationRecord> found = registry.application(id);
            if (found.isPresent()) {
                app = found.get();
                break;
            }
        }
        if (!credentials.hasSecret()) {
            // nothing to hash: a public client (or a confidential one that forgot its secret)
            if (app == null || app.clientType() != ApplicationRecord.ClientType.PUBLIC) {
                throw OAuthException.invalidClient(credentials.basic());
            }
            return app;
        }
        // an unknown or public client sent a secret: refused (and counted) without hashing; client ids are not secret
        String hash = app == null || app.clientType() == ApplicationRecord.ClientType.PUBLIC ? null : app.secretHash();
        if (verify(credentials, hash, false, Counters.LOGINS, ip).outcome() != Outcome.VERIFIED) {
            throw OAuthException.invalidClient(credentials.basic());
        }
        return app;
    }

    /**
     * Accounts from configuration (resource servers, operators) checked by this authenticator; {@code audit} is told
     * of each wrong password after it was counted.
     */
    public BasicAuthenticator accounts(List<Account> accounts, BasicAccounts.WrongPasswords audit) {
        return new Accounts(accounts, audit);
    }

    private enum Outcome { VERIFIED, WRONG, LOCKED }

    /** An outcome, and how much longer the address stays locked when {@code LOCKED}. */
    private record Verdict(Outcome outcome, Duration retryAfter) {
    }

    /**
     * The one guarded check: a remembered secret passes at no cost; otherwise a locked address is refused before
     * any hash, and a wrong secret is counted. {@code storedHash == null} means no such client or account: with
     * {@code hashUnknown} it costs the same hashing as a wrong secret, so timing tells no account names.
     */
    private Verdict verify(ClientCredentials credentials, String storedHash, boolean hashUnknown, Counters counters,
                           String ip) {
        if (storedHash != null && credentials.secretCandidates().stream()
                .anyMatch(s -> secrets.isRemembered(s, storedHash))) {
            return new Verdict(Outcome.VERIFIED, null);
        }
        Optional<Duration> locked = ip == null ? Optional.empty() : guard.addressLockedFor(counters, ip);
        if (locked.isPresent()) {
            return new Verdict(Outcome.LOCKED, locked.get());
        }
        if (storedHash != null || hashUnknown) {
            for (String secret : credentials.secretCandidates()) {
                if (secrets.verify(secret, storedHash == null ? DUMMY_HASH : storedHash) && storedHash != null) {
                    return new Verdict(Outcome.VERIFIED, null);
                }
            }
        }
        if (ip != null) {
            guard.countAddressFailure(counters, ip);
        }
        return new Verdict(Outcome.WRONG, null);
    }

    /** Accounts from configuration (operators, resource servers) behind the same reading, guard and hashing. */
    private final class Accounts implements BasicAuthenticator {
        private final AccountsByName byName;
        private final BasicAccounts.WrongPasswords audit;

        Accounts(List<Account> accounts, BasicAccounts.WrongPasswords audit) {
            this.byName = new AccountsByName(accounts);
            this.audit = audit;
        }

        @Override
        public AccountsByName accounts() {
            return byName;
        }

        @Override
        public BasicAccounts.Check check(String authorization, String address) {
            Optional<ClientCredentials> read = ClientCredentials.basic(authorization);
            if (read.isEmpty()) {
                return BasicAccounts.Check.ABSENT;
            }
            ClientCredentials credentials = read.get();
            Account account = credentials.idCandidates().stream().map(byName::get).filter(a -> a != null)
                    .findFirst().orElse(null);
            Verdict verdict = verify(credentials, account == null ? null : account.passwordHash, true,
                    Counters.ACCOUNTS, address);
            return switch (verdict.outcome()) {
                case VERIFIED -> new BasicAccounts.Check(BasicAccounts.Result.AUTHENTICATED, account.name, null);
                case LOCKED -> new BasicAccounts.Check(BasicAccounts.Result.LOCKED, null, verdict.retryAfter());
                case WRONG -> {
                    // the name only when it is an account: an unknown one may be a password typed in the wrong field
                    String name = account == null ? null : account.name;
                    if (audit != null) {
                        audit.wrongPassword(name, address);
                    }
                    yield new BasicAccounts.Check(BasicAccounts.Result.WRONG, name, null);
                }
            };
        }
    }
}
