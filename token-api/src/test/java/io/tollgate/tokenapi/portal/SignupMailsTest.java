package io.tollgate.tokenapi.portal;

import io.tollgate.tokenapi.mail.Mail;
import io.tollgate.tokenapi.mail.MailException;
import org.junit.jupiter.api.Test;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignupMailsTest {
    private final List<Mail> sent = new ArrayList<>();

    @Test
    void theVerificationLinkPointsIntoThePortalAndSaysHowLongItWorks() {
        new SignupMails(sent::add, "https://portal.example.test//").verification("dana@example.test", "tok3n",
                Duration.ofHours(24));
        Mail mail = sent.get(0);
        assertThat(mail.to()).isEqualTo("dana@example.test");
        assertThat(mail.subject()).isEqualTo(SignupMails.SUBJECT);
        assertThat(mail.text()).contains("\n\nhttps://portal.example.test/portal/#verify/tok3n\n\n")
                .contains("within 24 hours ");
    }

    @Test
    void aLifetimeUnderTwoHoursIsOneHour() {
        new SignupMails(sent::add, "https://p.test").verification("a@example.test", "t", Duration.ofMinutes(30));
        assertThat(sent.get(0).text()).contains("within 1 hour ");
    }

    @Test
    void aTakenAddressIsToldWhereToLogInAndGetsNoLink() {
        new SignupMails(sent::add, "https://p.test/").addressTaken("a@example.test");
        assertThat(sent.get(0).text()).contains("https://p.test/portal/#login").doesNotContain("#verify");
    }

    @Test
    void aMailThatCannotLeaveIsA503() {
        SignupMails mails = new SignupMails(m -> {
            throw new MailException("relay said no", new SocketTimeoutException("timed out"));
        }, "https://p.test");
        assertThatThrownBy(() -> mails.verification("a@example.test", "t", Duration.ofHours(1)))
                .isInstanceOfSatisfying(PortalException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.code()).isEqualTo("temporarily_unavailable");
                });
    }
}
