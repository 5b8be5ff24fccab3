package io.tollgate.tokenapi.mail;

import io.tollgate.shared.crypto.Secret;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;

/** Sends each message in its own SMTP connection (sign-ups are rare; no pool to go stale). */
public final class SmtpMailSender implements MailSender {
    private final Session session;
    private final String username;
    private final Secret password;
    private final String from;

    SmtpMailSender(Properties properties, String username, Secret password, String from) {
        this.session = Session.getInstance(properties);
        this.username = username;
        this.password = password;
        this.from = from;
    }

    @Override
    public void send(Mail mail) {
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress(from, true));
            message.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.to(), true));
            message.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
            message.setText(mail.text(), StandardCharsets.UTF_8.name());
            message.setSentDate(new Date());
            message.saveChanges();
            try (Transport transport = session.getTransport(session.getProperty("mail.transport.protocol"))) {
                if (username == null || username.isEmpty()) {
                    transport.connect();
                } else {
                    transport.connect(username, password == null ? "" : password.reveal());
                }
                transport.sendMessage(message, message.getAllRecipients());
            }
        } catch (MessagingException e) {
            // The exception's text may quote the server's reply, never the password: keep only its class.
            throw new MailException("SMTP delivery failed: " + e.getClass().getSimpleName(), null);
        }
    }

    @Override
    public String toString() {
        return "SmtpMailSender[" + session.getProperties().getProperty("mail.transport.protocol") + "]";
    }
}
