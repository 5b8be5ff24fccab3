package io.tollgate.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
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
        JsonNode document = ConfigFile.read(file);
        JsonNode answer = new OperatorApi(root.tokenApi(), operator, root.operatorPassword(operator))
                .config(document, true);
        if (root.json) {
            root.printJson(answer);
            return 0;
        }
        JsonNode changes = answer.path("changes");
        if (changes.isEmpty()) {
            root.out().println("no changes: token-api's APIs and plans already are those of " + file);
            root.out().flush();
            return 0;
        }
        ConfigChanges.print(changes, root.out());
        root.out().println("applied " + ConfigChanges.count(changes) + " change(s) as operator " + operator);
        root.out().flush();
        return 0;
    }
}
