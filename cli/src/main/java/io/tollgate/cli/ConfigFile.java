package io.tollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.shared.declarative.ConfigError;
import io.tollgate.shared.declarative.ConfigValidator;
import io.tollgate.shared.declarative.InvalidConfigException;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@code tollgate.yaml} read and checked here, before token-api sees it, against the same JSON Schema and rules
 * token-api applies: an invalid file fails with every error as {@code file:line: /json/pointer: message}.
 */
final class ConfigFile {
    private static final long MAX_SIZE = 1024 * 1024;
    private static final ConfigValidator VALIDATOR = new ConfigValidator();

    private ConfigFile() {
    }

    /** The valid document of {@code file}, as JSON for token-api. */
    static JsonNode read(Path file) {
        String name = file.toString();
        String text;
        try {
            if (Files.size(file) > MAX_SIZE) {
                throw new CliException(name + ": larger than 1 MiB");
            }
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new CliException(name + ": no such file");
        } catch (CharacterCodingException e) {
            throw new CliException(name + ": not UTF-8");
        } catch (IOException e) {
            throw new CliException(name + ": cannot read it: " + e.getMessage());
        }
        List<ConfigError> errors;
        JsonNode document;
        try {
            document = ConfigValidator.read(text);
            errors = VALIDATOR.validate(document);
        } catch (InvalidConfigException e) {
            document = null;
            errors = e.errors();
        }
        if (!errors.isEmpty()) {
            StringBuilder message = new StringBuilder(name + " is invalid (" + errors.size() + " error"
                    + (errors.size() == 1 ? "" : "s") + "), nothing was sent to token-api:");
            errors.forEach(e -> message.append("\n  ").append(e.format(name)));
            throw new CliException(message.toString(), 2);
        }
        return document;
    }
}
