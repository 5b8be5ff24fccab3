package io.tollgate.tokenapi.portal;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.tollgate.testkit.FreePorts;
import io.tollgate.tokenapi.Outbox;
import io.tollgate.tokenapi.TokenApiTestStack;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portal's sign-up with {@code portal.mail.type: smtp} against a real SMTP server (GreenMail, with SMTP AUTH):
 * the verification mail arrives there, its link verifies the address, and the new account registers an app.
 */
class PortalMailIT {
    static final int SMTP_PORT = FreePorts.find();
    static final String RELAY_PASSWORD = "portal-relay-pass";
    static final GreenMail SMTP = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("portal-mail-it").configFile(smtpConfig()).build();

    /** config/local.yml with its file outbox replaced by SMTP to GreenMail. */
    static String smtpConfig() {
        try {
            String local = Files.readString(Path.of("config/local.yml"));
            String outbox = local.substring(local.indexOf("  mail:\n    type: file"), local.indexOf("    console: true\n")
                    + "    console: true\n".length());
            String smtp = "  mail:\n    type: smtp\n    host: 127.0.0.1\n    port: " + SMTP_PORT + "\n    tls: none\n"
                    + "    username: relay\n    password: " + RELAY_PASSWORD + "\n    from: portal@tollgate.test\n";
            Path file = Files.createTempDirectory("portal-mail-it").resolve("smtp.yml");
            Files.writeString(file, local.replace(outbox, smtp));
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void startSmtp() {
        SMTP.start();
        SMTP.setUser("relay@tollgate.test", "relay", RELAY_PASSWORD);
        SMTP.getUserManager().setAuthRequired(true);
    }

    @AfterAll
    static void stopSmtp() {
        SMTP.stop();
    }

    @Test
    void aSignUpIsVerifiedByTheLinkTheSmtpServerReceivedAndTheAccountRegistersAnApp() throws Exception {
        PortalClient dev = new PortalClient(STACK.baseUrl());
        assertThat(dev.enter("signup", "smtp.dev@example.test", "smtp-dev-pass").status()).isEqualTo(202);
        assertThat(SMTP.waitForIncomingEmail(10_000, 1)).isTrue();
        MimeMessage mail = SMTP.getReceivedMessages()[0];
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("smtp.dev@example.test");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("portal@tollgate.test");
        assertThat(mail.getSubject()).isEqualTo(SignupMails.SUBJECT);
        String token = Outbox.tokenIn((String) mail.getContent()).orElseThrow();

        assertThat(dev.verify(token, "smtp-dev-pass").status()).isEqualTo(200);
        PortalClient.Answer app = dev.postCsrf("/portal/api/apps", Map.of("name", "Mailed app", "type", "public"));
        assertThat(app.status()).isEqualTo(201);
        assertThat(dev.get("/portal/api/apps/" + app.text("clientId")).status()).isEqualTo(200);

        // A taken address gets a mail too, without a link.
        assertThat(new PortalClient(STACK.baseUrl()).enter("signup", "smtp.dev@example.test", "other-pass-123")
                .status()).isEqualTo(202);
        assertThat(SMTP.waitForIncomingEmail(10_000, 2)).isTrue();
        assertThat(Outbox.tokenIn((String) SMTP.getReceivedMessages()[1].getContent())).isEmpty();
        assertThat((String) SMTP.getReceivedMessages()[1].getContent()).contains("already has an account");
    }
}
