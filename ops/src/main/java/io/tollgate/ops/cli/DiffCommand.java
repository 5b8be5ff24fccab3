package io.tollgate.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
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
        JsonNode document = ConfigFile.read(file);
        JsonNode answer = new OperatorApi(root.tokenApi(), operator, root.operatorPassword(operator))
                .config(document, false);
        if (root.json) {
            root.printJson(answer);
            return 0;
        }
        JsonNode changes = answer.path("changes");
        if (changes.isEmpty()) {
            root.out().println("no changes: token-api's APIs and plans are those of " + file);
            root.out().flush();
            return 0;
        }
        ConfigChanges.print(changes, root.out());
        root.out().println(ConfigChanges.count(changes) + " change(s) to apply (tollgate apply -f " + file + ")");
        root.out().flush();
        return 0;
    }
}
