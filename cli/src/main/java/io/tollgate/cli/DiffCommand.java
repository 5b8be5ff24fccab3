package io.tollgate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** What {@code apply} would change: the file checked here, then compared by token-api; nothing is written. */
@Command(name = "diff", description = "Show what applying a tollgate.yaml would change (nothing is written).")
final class DiffCommand implements Callable<Integer> {
    @ParentCommand
    TollgateCli root;

    @Option(names = {"-u", "--user"}, description = "Operator account for token-api's admin API (default ops); "
            + "password from TOLLGATE_OPERATOR_PASSWORD or a prompt.")
    String operator = "ops";

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The tollgate.yaml.")
    Path file;

    @Override
    public Integer call() {
        return ConfigChanges.send(root, operator, file, false);
    }
}
