package io.tollgate.tokenapi.mail;

import io.tollgate.shared.crypto.Secret;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import io.dropwizard.util.Duration;

import java.util.Properties;

/**
 * SMTP through Jakarta Mail (Eclipse Angus). {@code tls}: {@code starttls} (default: the server must offer
 * STARTTLS or nothing is sent), {@code smtps} (TLS from the first byte, port 465) or {@code none} (a relay on
 * loopback only). With TLS the server's certificate and host name are checked against the JVM's trust store.
 */
public class SmtpMailSenderFactory implements MailSenderFactory {
    public enum Tls { NONE, STARTTLS, SMTPS }

    @NotEmpty
    public String host;

    @Min(1)
    @Max(65535)
    public int port = 587;

    @NotNull
    public Tls tls = Tls.STARTTLS;

    /** Empty: no SMTP AUTH. */
    public String username;

    public Secret password;

    @NotEmpty
    @Email
    public String from;

    @NotNull
    public Duration timeout = Duration.seconds(10);

    @Override
    public MailSender build() {
        return new SmtpMailSender(properties(), username, password, from);
    }

    /** The Jakarta Mail session properties for this configuration. */
    Properties properties() {
        String protocol = tls == Tls.SMTPS ? "smtps" : "smtp";
        String p = "mail." + protocol + ".";
        Properties props = new Properties();
        props.put("mail.transport.protocol", protocol);
        props.put(p + "host", host);
        props.put(p + "port", Integer.toString(port));
        props.put(p + "auth", Boolean.toString(username != null && !username.isEmpty()));
        String millis = Long.toString(timeout.toMilliseconds());
        props.put(p + "connectiontimeout", millis);
        props.put(p + "timeout", millis);
        props.put(p + "writetimeout", millis);
        if (tls == Tls.STARTTLS) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }
        if (tls != Tls.NONE) {
            props.put(p + "ssl.checkserveridentity", "true");
        }
        return props;
    }

    @Override
    public String toString() {
        return "SmtpMailSenderFactory[host=" + host + ", port=" + port + ", tls=" + tls + ", username=" + username
                + ", password=" + (password == null ? null : Secret.REDACTED) + ", from=" + from + "]";
    }
}
