package io.tollgate.tokenapi.mail;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.tollgate.shared.crypto.Secret;
import io.tollgate.testkit.FreePorts;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SMTP mail sender against a real SMTP server (GreenMail) that requires authentication. */
class SmtpMailSenderIT {
    static final String PASSWORD = "smtp-relay-pass";
    GreenMail server;
    int port;

    @BeforeEach
    void start() {
        port = FreePorts.find();
        server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        server.setUser("relay@tollgate.test", "relay", PASSWORD);
        server.getUserManager().setAuthRequired(true);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    SmtpMailSenderFactory factory(SmtpMailSenderFactory.Tls tls, String password) {
        SmtpMailSenderFactory f = new SmtpMailSenderFactory();
        f.host = "127.0.0.1";
        f.port = port;
        f.tls = tls;
        f.username = "relay";
        f.password = Secret.of(password);
        f.from = "portal@tollgate.test";
        return f;
    }

    @Test
    void aMailIsDeliveredWithSmtpAuthentication() throws Exception {
        factory(SmtpMailSenderFactory.Tls.NONE, PASSWORD).build().send(new Mail("dana@example.test",
                "Your Tollgate developer account", "Open http://127.0.0.1:8080/portal/#verify/abc\n"));
        assertThat(server.waitForIncomingEmail(5_000, 1)).isTrue();
        MimeMessage received = server.getReceivedMessages()[0];
        assertThat(received.getSubject()).isEqualTo("Your Tollgate developer account");
        assertThat(received.getFrom()[0].toString()).isEqualTo("portal@tollgate.test");
        assertThat(received.getAllRecipients()[0].toString()).isEqualTo("dana@example.test");
        assertThat(GreenMailUtil.getBody(received)).contains("/portal/#verify/abc");
    }

    @Test
    void aWrongRelayPasswordDeliversNothingAndTheErrorDoesNotQuoteIt() {
        MailSender sender = factory(SmtpMailSenderFactory.Tls.NONE, "wrong-relay-pass").build();
        assertThatThrownBy(() -> sender.send(new Mail("dana@example.test", "s", "t")))
                .isInstanceOf(MailException.class).hasMessageNotContaining("wrong-relay-pass");
        assertThat(server.getReceivedMessages()).isEmpty();
    }

    @Test
    void withStartTlsRequiredNothingGoesOutInTheClearToAServerThatCannotUpgrade() {
        MailSender sender = factory(SmtpMailSenderFactory.Tls.STARTTLS, PASSWORD).build();
        assertThatThrownBy(() -> sender.send(new Mail("dana@example.test", "s", "secret link")))
                .isInstanceOf(MailException.class);
        assertThat(server.getReceivedMessages()).isEmpty();
    }

    @Test
    void theConfigurationNeverPrintsThePassword() {
        SmtpMailSenderFactory f = factory(SmtpMailSenderFactory.Tls.STARTTLS, PASSWORD);
        assertThat(f.toString()).contains("[REDACTED]").doesNotContain(PASSWORD);
        assertThat(f.password.toString()).isEqualTo("[REDACTED]");
        assertThat(f.properties()).containsEntry("mail.smtp.starttls.required", "true")
                .containsEntry("mail.smtp.ssl.checkserveridentity", "true");
        assertThat(factory(SmtpMailSenderFactory.Tls.SMTPS, PASSWORD).properties())
                .containsEntry("mail.transport.protocol", "smtps")
                .containsEntry("mail.smtps.ssl.checkserveridentity", "true");
    }
}
