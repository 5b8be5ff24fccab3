package io.tollgate.cli;

import picocli.CommandLine.Command;

/** What {@code apply} would change: the file checked here, then compared by token-api; nothing is written. */
@Command(name = "diff", description = "Show what applying a tollgate.yaml would change (nothing is written).")
final class DiffCommand extends ConfigCommand {
    @Override
    boolean apply() {
        return false;
    }
}
