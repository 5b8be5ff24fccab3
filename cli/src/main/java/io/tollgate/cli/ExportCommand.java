package io.tollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The registry's APIs and plans as a {@code tollgate.yaml} that {@code apply} takes back unchanged. */
@Command(name = "export", description = "Write token-api's APIs and plans as a tollgate.yaml (stdout, or -o FILE).")
final class ExportCommand extends OperatorCommand {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .build());

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of stdout.")
    Path output;

    @Override
    public Integer call() {
        JsonNode config = api().config();
        if (root.json) {
            root.printJson(config);
            return 0;
        }
        String yaml;
        try {
            yaml = "# APIs and plans of " + root.tokenApi() + " (tollgate export); the schema: "
                    + "shared/src/main/resources/tollgate-config.schema.json\n" + YAML.writeValueAsString(config);
        } catch (IOException e) {
            throw new CliException("cannot write YAML: " + e.getMessage());
        }
        if (output == null) {
            root.out().print(yaml);
            root.out().flush();
            return 0;
        }
        try {
            Files.writeString(output, yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException("cannot write " + output + ": " + e.getMessage());
        }
        root.err().println("wrote " + output);
        root.err().flush();
        return 0;
    }
}
