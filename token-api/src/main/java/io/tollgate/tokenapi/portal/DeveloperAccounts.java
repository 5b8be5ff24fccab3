package io.tollgate.tokenapi.portal;

import io.tollgate.shared.auth.BasicAuthenticator;
import io.tollgate.shared.crypto.PasswordHashes;
import io.tollgate.shared.crypto.RandomTokens;
import io.tollgate.shared.events.DeveloperRecord;
import io.tollgate.shared.registry.RegistryView;
import io.tollgate.tokenapi.mail.Mail;
import io.tollgate.tokenapi.mail.MailException;
import io.tollgate.tokenapi.mail.MailSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.Pool;

/**
 * Portal accounts: sign-up, address verification and login. Every path that hashes a password first takes a
 * permit of the {@link HashingBudget}. Sign-up answers the same whether the address has an account or not (same
 * hashing, a mail either way: a verification link for a new address, a "you already have an account" note for a
 * taken one), so the answer tells nothing. An account is written to the registry only once its address is
 * verified, and only a verified account logs in, so nothing is owned by an address nobody proved.
 */
public final class DeveloperAccounts {
    private static final Logger LOG = LoggerFactory.getLogger(DeveloperAccounts.class);
    static final String SUBJECT = "Your Tollgate developer account";
    private static final String DUMMY_HASH =
            "pbkdf2-sha256$210000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    private final RegistryView registry;
    private final RegistryWriter writer;
    private final SignupVerifications verifications;
    private final HashingBudget budget;
    private final FixedWindowLimiter signupLimiter;
    private final int signupsPerAddress;
    private final Duration signupWindow;
    private final MailSender mail;
    private final String portalUrl;
    private final BasicAuthenticator operators;
    private final Clock clock;

    /** Who a login or verification let in; {@code developerId} is null for an operator. */
    public record Entrant(String email, String developerId, boolean admin) {
    }

    public DeveloperAccounts(RegistryView registry, RegistryWriter writer, SignupVerifications verifications,
                             HashingBudget budget, Pool<Jedis> pool, int signupsPerAddress,
                             Duration signupWindow, MailSender mail, String portalUrl, BasicAuthenticator operators,
                             Clock clock) {
        this.registry = registry;
        this.writer = writer;
        this.verifications = verifications;
        this.budget = budget;
        this.signupLimiter = new FixedWindowLimiter(pool);
        this.signupsPerAddress = signupsPerAddress;
        this.signupWindow = signupWindow;
        this.mail = mail;
        this.portalUrl = portalUrl.replaceAll("/+$", "");
        this.operators = operators;
        this.clock = clock;
    }

    static String signupKey(String email) {
        return "tg:portal:signup:email:" + email;
    }

    /** Starts a sign-up for {@code email} (normalized); the answer to the caller is the same in every case. */
    public void signup(String email, String password, String clientAddress) {
        try (HashingBudget.Permit permit = budget.acquire(clientAddress)) {
            long wait = signupLimiter.admit(signupKey(email), signupsPerAddress, signupWindow);
            if (wait > 0) {
                throw PortalException.tooMany("too_many_requests",
                        "too many sign-ups for this address; retry later", wait);
            }
            String passwordHash = PasswordHashes.hash(password);   // always: a taken address costs the same
            Optional<DeveloperRecord> existing = registry.developer(email);
            if (existing.filter(DeveloperRecord::verified).isPresent() || operators.has(email)) {
                send(new Mail(email, SUBJECT, "Somebody, maybe you, tried to sign up for the Tollgate developer "
                        + "portal with this address, which already has an account.\n\nIf it was you, log in at\n\n"
                        + portalUrl + "/portal/#login\n\nIf it was not, ignore this mail: nothing has changed.\n"));
                LOG.info("event=portal.signup outcome=address_taken");
                return;
            }
            String token = verifications.create(new SignupVerifications.Pending(email, passwordHash,
                    existing.map(DeveloperRecord::developerId).orElse(null)));
            send(new Mail(email, SUBJECT, "Somebody, maybe you, signed up for the Tollgate developer portal with "
                    + "this address.\n\nTo confirm it, open this link within " + hours(verifications.lifetime())
                    + " and enter the password you chose:\n\n" + portalUrl + "/portal/#verify/" + token
                    + "\n\nIf it was not you, ignore this mail: without the link no account is created.\n"));
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

    private void send(Mail message) {
        try {
            mail.send(message);
        } catch (MailException e) {
            // the class only: a relay's reply or a mailer's message may quote the mail, whose link is a secret
            LOG.warn("event=portal.mail_failed error={}", e.getCause() != null
                    ? e.getCause().getClass().getSimpleName() : e.getClass().getSimpleName());
            throw PortalException.unavailable("the mail could not be sent; try again later");
        }
    }

    private static PortalException invalidToken() {
        return new PortalException(400, "invalid_token", "the link is invalid, used or expired; sign up again");
    }

    private static String hours(Duration d) {
        long h = Math.max(1, d.toHours());
        return h + (h == 1 ? " hour" : " hours");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
