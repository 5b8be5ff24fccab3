package io.tollgate.tokenapi.portal;

import io.tollgate.tokenapi.mail.Mail;
import io.tollgate.tokenapi.mail.MailException;
import io.tollgate.tokenapi.mail.MailSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The two mails a sign-up sends, with links into the portal at {@code portalUrl}: the verification link for a new
 * address, or a note that the address already has an account. A mail that cannot be sent is a 503; what is logged
 * of the failure names its class only, since a relay's reply or a mailer's message may quote the mail, whose link
 * is a secret.
 */
public final class SignupMails {
    private static final Logger LOG = LoggerFactory.getLogger(SignupMails.class);
    static final String SUBJECT = "Your Tollgate developer account";

    private final MailSender sender;
    private final String portalUrl;

    public SignupMails(MailSender sender, String portalUrl) {
        this.sender = sender;
        this.portalUrl = portalUrl.replaceAll("/+$", "");
    }

    /** To the owner of an address that already has an account: where to log in. */
    void addressTaken(String email) {
        send(new Mail(email, SUBJECT, "Somebody, maybe you, tried to sign up for the Tollgate developer "
                + "portal with this address, which already has an account.\n\nIf it was you, log in at\n\n"
                + portalUrl + "/portal/#login\n\nIf it was not, ignore this mail: nothing has changed.\n"));
    }

    /** To a new address: the link that verifies it, valid for {@code lifetime}. */
    void verification(String email, String token, Duration lifetime) {
        send(new Mail(email, SUBJECT, "Somebody, maybe you, signed up for the Tollgate developer portal with "
                + "this address.\n\nTo confirm it, open this link within " + hours(lifetime)
                + " and enter the password you chose:\n\n" + portalUrl + "/portal/#verify/" + token
                + "\n\nIf it was not you, ignore this mail: without the link no account is created.\n"));
    }

    private void send(Mail message) {
        try {
            sender.send(message);
        } catch (MailException e) {
            LOG.warn("event=portal.mail_failed error={}", e.getCause() != null
                    ? e.getCause().getClass().getSimpleName() : e.getClass().getSimpleName());
            throw PortalException.unavailable("the mail could not be sent; try again later");
        }
    }

    private static String hours(Duration d) {
        long h = Math.max(1, d.toHours());
        return h + (h == 1 ? " hour" : " hours");
    }
}
