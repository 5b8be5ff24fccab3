package io.tollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * Sends a checked {@code tollgate.yaml} to token-api, written ({@link ApplyCommand}) or only compared
 * ({@link DiffCommand}), and prints the changes ({@link ConfigChanges}), or token-api's answer with {@code --json}.
 */
abstract class ConfigCommand extends OperatorCommand {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The tollgate.yaml.")
    Path file;

    /** Whether token-api writes the file's APIs and plans, or only compares them. */
    abstract boolean apply();

    @Override
    public Integer call() {
        boolean apply = apply();
        JsonNode document = ConfigFile.read(file);
        JsonNode answer = api().config(document, apply);
        if (root.json) {
            root.printJson(answer);
            return 0;
        }
        JsonNode changes = answer.path("changes");
        PrintWriter out = root.out();
        if (changes.isEmpty()) {
            out.println("no changes: token-api's APIs and plans " + (apply ? "already " : "") + "are those of " + file);
        } else {
            ConfigChanges.print(changes, out);
            out.println(apply ? "applied " + ConfigChanges.count(changes) + " change(s) as operator " + operator
                    : ConfigChanges.count(changes) + " change(s) to apply (tollgate apply -f " + file + ")");
        }
        out.flush();
        return 0;
    }
}
