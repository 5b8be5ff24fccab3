package io.tollgate.tokenapi.mail;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes each message as {@code <millis>-<n>.txt} (headers {@code To:} and {@code Subject:}, a blank line, the
 * text) into the outbox directory, created on first use with owner-only permissions where the file system has
 * them. Not for production: the links in it are live credentials until used.
 */
public final class FileOutboxMailSender implements MailSender {
    private final Path directory;
    private final PrintStream console;
    private final AtomicLong sequence = new AtomicLong();

    public FileOutboxMailSender(Path directory, PrintStream console) {
        this.directory = directory;
        this.console = console;
    }

    @Override
    public void send(Mail mail) {
        String content = "To: " + mail.to() + "\nSubject: " + mail.subject() + "\n\n" + mail.text() + "\n";
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve(Instant.now().toEpochMilli() + "-" + sequence.incrementAndGet() + ".txt");
            Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        } catch (IOException e) {
            throw new MailException("cannot write to the outbox: " + e.getClass().getSimpleName(), null);
        }
        if (console != null) {
            // The local stack's console, on purpose (README): the demo has no mail server to deliver the link.
            console.println("[portal outbox] mail to " + mail.to() + " - " + mail.subject() + "\n" + mail.text());
        }
    }

    public Path directory() {
        return directory;
    }
}
