package io.tollgate.ops.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The local stack has no mail server: token-api writes the portal's mail (sign-up verification links) as files in
 * {@code <data dir>/token-api/outbox}. This prints each new one on the launcher's console, so a developer signing up
 * in the demo portal sees the link where they started the stack. Demo only: the links are live until used.
 */
final class PortalOutboxPrinter implements AutoCloseable {
    private final Path outbox;
    private final PrintStream out;
    private final Set<Path> seen = new HashSet<>();
    private final Thread thread;
    private volatile boolean running = true;

    PortalOutboxPrinter(Path outbox, PrintStream out) {
        this.outbox = outbox;
        this.out = out;
        // Mail written before this launcher started (an earlier run's) is not news.
        poll(false);
        this.thread = new Thread(this::run, "portal-outbox-printer");
        thread.setDaemon(true);
    }

    static Path outbox(StackConfig config) {
        return config.dataDir().resolve("token-api").resolve("outbox");
    }

    PortalOutboxPrinter start() {
        thread.start();
        return this;
    }

    private void run() {
        while (running) {
            poll(true);
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Prints (when {@code print}) every mail file not seen before, oldest name first. */
    void poll(boolean print) {
        if (!Files.isDirectory(outbox)) {
            return;
        }
        try (Stream<Path> files = Files.list(outbox)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".txt")).sorted().toList()) {
                if (seen.add(file) && print) {
                    out.println("---- portal mail (" + file + ") ----");
                    out.println(Files.readString(file, StandardCharsets.UTF_8).strip());
                    out.println("----");
                    out.flush();
                }
            }
        } catch (IOException e) {
            // The next poll tries again; the files stay in the outbox either way.
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
