package io.tollgate.tokenapi.portal;

import io.tollgate.shared.auth.BasicAuthenticator;
import io.tollgate.shared.crypto.PasswordHashes;
import io.tollgate.shared.crypto.RandomTokens;
import io.tollgate.shared.events.DeveloperRecord;
import io.tollgate.shared.registry.RegistryView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

/**
 * Portal accounts: sign-up, address verification and login. Every path that hashes a password first takes a
 * permit of the {@link HashingBudget}. Sign-up answers the same whether the address has an account or not (same
 * hashing, a mail either way: a verification link for a new address, a "you already have an account" note for a
 * taken one), so the answer tells nothing. An account is written to the registry only once its address is
 * verified, and only a verified account logs in, so nothing is owned by an address nobody proved.
 */
public final class DeveloperAccounts {
    private static final Logger LOG = LoggerFactory.getLogger(DeveloperAccounts.class);
    private static final String DUMMY_HASH =
            "pbkdf2-sha256$210000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    private final RegistryView registry;
    private final RegistryWriter writer;
    private final SignupVerifications verifications;
    private final HashingBudget budget;
    private final FixedWindowLimiter signups;
    private final SignupMails mails;
    private final BasicAuthenticator operators;
    private final Clock clock;

    /** Who a login or verification let in; {@code developerId} is null for an operator. */
    public record Entrant(String email, String developerId, boolean admin) {
    }

    /**
     * @param signups the bound on sign-ups per e-mail address ({@code signupsPerAddress} per {@code signupWindow})
     */
    public DeveloperAccounts(RegistryView registry, RegistryWriter writer, SignupVerifications verifications,
                             HashingBudget budget, FixedWindowLimiter signups, SignupMails mails,
                             BasicAuthenticator operators, Clock clock) {
        this.registry = registry;
        this.writer = writer;
        this.verifications = verifications;
        this.budget = budget;
        this.signups = signups;
        this.mails = mails;
        this.operators = operators;
        this.clock = clock;
    }

    static String signupKey(String email) {
        return "tg:portal:signup:email:" + email;
    }

    /** Starts a sign-up for {@code email} (normalized); the answer to the caller is the same in every case. */
    public void signup(String email, String password, String clientAddress) {
        try (HashingBudget.Permit permit = budget.acquire(clientAddress)) {
            long wait = signups.admit(signupKey(email));
            if (wait > 0) {
                throw PortalException.tooMany("too_many_requests",
                        "too many sign-ups for this address; retry later", wait);
            }
            String passwordHash = PasswordHashes.hash(password);   // always: a taken address costs the same
            Optional<DeveloperRecord> existing = registry.developer(email);
            if (existing.filter(DeveloperRecord::verified).isPresent() || operators.has(email)) {
                mails.addressTaken(email);
                LOG.info("event=portal.signup outcome=address_taken");
                return;
            }
            String token = verifications.create(new SignupVerifications.Pending(email, passwordHash,
                    existing.map(DeveloperRecord::developerId).orElse(null)));
            mails.verification(email, token, verifications.lifetime());
            LOG.info("event=portal.signup outcome=verification_sent");
        }
    }

    /** Verifies the address of a pending sign-up and writes its account; the new account is logged in. */
    public Entrant verify(String token, String password, String clientAddress) {
        try (HashingBudget.Permit permit = budget.acquire(clientAddress)) {
            Optional<SignupVerifications.Pending> found = verifications.find(token);
            if (found.isEmpty()) {
                PasswordHashes.verify(password, DUMMY_HASH);
                throw invalidToken();
            }
            SignupVerifications.Pending pending = found.get();
            if (!PasswordHashes.verify(password, pending.passwordHash())) {
                verifications.failedPassword(token);
                LOG.info("event=portal.verify_failed reason=password");
                throw new PortalException(401, "invalid_credentials", "wrong password for this sign-up");
            }
            if (!verifications.consume(token)) {
                throw invalidToken();   // a concurrent verification used it first
            }
            if (!verifications.claimAddress(pending.email())
                    || registry.developer(pending.email()).filter(DeveloperRecord::verified).isPresent()
                    || operators.has(pending.email())) {
                LOG.info("event=portal.verify_failed reason=address_taken");
                throw invalidToken();   // another sign-up of this address was verified first
            }
            DeveloperRecord account = new DeveloperRecord(pending.developerId() == null ? "dev-" + RandomTokens.id()
                    : pending.developerId(), pending.email(), pending.passwordHash(), clock.instant(), clock.instant());
            writer.put(account, () -> registry.developer(account.email()).filter(d -> d.equals(account)).isPresent());
            LOG.info("event=portal.account_verified developer={}", account.developerId());
            return new Entrant(account.email(), account.developerId(), false);
        }
    }

    /** A verified developer, or an operator by its operator account (then a portal admin). */
    public Entrant login(String email, String password, String clientAddress) {
        try (HashingBudget.Permit permit = budget.acquire(clientAddress)) {
            Optional<DeveloperRecord> developer = registry.developer(email).filter(DeveloperRecord::verified);
            if (developer.isPresent()) {
                return PasswordHashes.verify(password, developer.get().passwordHash())
                        ? new Entrant(email, developer.get().developerId(), false) : null;
            }
            if (operators.has(email)) {
                return operators.authenticate(basic(email, password), clientAddress).isPresent()
                        ? new Entrant(email, null, true) : null;
            }
            PasswordHashes.verify(password, DUMMY_HASH);   // an unknown or unverified address costs the same
            return null;
        }
    }

    private static PortalException invalidToken() {
        return new PortalException(400, "invalid_token", "the link is invalid, used or expired; sign up again");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
