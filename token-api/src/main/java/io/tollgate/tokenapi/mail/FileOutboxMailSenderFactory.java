package io.tollgate.tokenapi.mail;

import jakarta.validation.constraints.NotEmpty;

import java.nio.file.Path;

/**
 * The local stack's mail: every message is a file in {@code directory}, and with {@code console: true} its text
 * (the verification link) is also printed on standard output, so a developer on the demo stack needs no mail server.
 */
public class FileOutboxMailSenderFactory implements MailSenderFactory {
    @NotEmpty
    public String directory;

    public boolean console = true;

    @Override
    public MailSender build() {
        return new FileOutboxMailSender(Path.of(directory), console ? System.out : null);
    }
}
