package io.tollgate.tokenapi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The portal's file outbox as a test reads it: the mails to an address, the verification token in the newest. */
public final class Outbox {
    private static final Pattern LINK = Pattern.compile("/portal/#verify/([A-Za-z0-9_-]{43})");
    private final Path directory;

    public Outbox(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    /** Every mail file's text, oldest first. */
    public List<String> all() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted((a, b) -> {
                String[] x = a.getFileName().toString().replace(".txt", "").split("-");
                String[] y = b.getFileName().toString().replace(".txt", "").split("-");
                int c = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
                return c != 0 ? c : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
            }).map(Outbox::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The mails to {@code address}, oldest first. */
    public List<String> to(String address) {
        return all().stream().filter(m -> m.startsWith("To: " + address + "\n")).toList();
    }

    /** The verification token of the newest mail to {@code address}, if that mail has one. */
    public Optional<String> token(String address) {
        List<String> mails = to(address);
        return mails.isEmpty() ? Optional.empty() : tokenIn(mails.get(mails.size() - 1));
    }

    /** The token of the newest mail to {@code address}, waiting up to 10 s for it; fails if none. */
    public String awaitToken(String address) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> token = token(address);
            if (token.isPresent()) {
                return token.get();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no verification mail to " + address + " in " + directory);
    }

    public static Optional<String> tokenIn(String mail) {
        Matcher m = LINK.matcher(mail);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
