package io.tollgate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Makes the registry's APIs and plans those of a {@code tollgate.yaml} through token-api ({@code PUT /admin/config}):
 * the file is the whole desired state, so an API or plan missing from it is deleted. An invalid file changes nothing.
 */
@Command(name = "apply", description = "Apply a tollgate.yaml: create, update and delete APIs and plans so that "
        + "they are the file's; prints what changed.")
final class ApplyCommand implements Callable<Integer> {
    @ParentCommand
    TollgateCli root;

    @Option(names = {"-u", "--user"}, description = "Operator account for token-api's admin API (default ops); "
            + "password from TOLLGATE_OPERATOR_PASSWORD or a prompt.")
    String operator = "ops";

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The tollgate.yaml.")
    Path file;

    @Override
    public Integer call() {
        return ConfigChanges.send(root, operator, file, true);
    }
}
