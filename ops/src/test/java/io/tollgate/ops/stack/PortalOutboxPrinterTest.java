package io.tollgate.ops.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher prints each new portal mail of the local stack's outbox (the verification link) on its console. */
class PortalOutboxPrinterTest {

    @Test
    void printsEachNewMailOnceAndNotTheMailOfAnEarlierRun(@TempDir Path dir) throws Exception {
        Path outbox = dir.resolve("token-api").resolve("outbox");
        Files.createDirectories(outbox);
        Files.writeString(outbox.resolve("1000-1.txt"), "To: old@example.test\nSubject: s\n\n/portal/#verify/OLD\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        StackConfig config = new StackConfig();
        config.dataDir = dir;
        try (PortalOutboxPrinter printer = new PortalOutboxPrinter(PortalOutboxPrinter.outbox(config), console)) {
            Files.writeString(outbox.resolve("2000-1.txt"),
                    "To: bea@example.test\nSubject: s\n\nhttp://127.0.0.1:8080/portal/#verify/NEWTOKEN\n");
            printer.poll(true);
            printer.poll(true);
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("To: bea@example.test").contains("http://127.0.0.1:8080/portal/#verify/NEWTOKEN")
                .doesNotContain("OLD");
        assertThat(printed.split("#verify/NEWTOKEN", -1)).hasSize(2);
    }
}
