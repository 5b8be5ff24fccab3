package io.tollgate.cli;

import io.tollgate.shared.crypto.PasswordHashes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Prints the PBKDF2 hash ({@link PasswordHashes}) of a password for an {@code operators:} or
 * {@code resourceServers:} entry's {@code passwordHash}. On a terminal the password is typed twice without echo;
 * otherwise (or with {@code --stdin}) it is the first line of standard input. The password itself is never printed.
 */
@Command(name = "hash-password",
        description = "Print the passwordHash for an operator or resource-server account (prompted twice without echo;"
                + " --stdin or no terminal: the first line of standard input).")
final class HashPasswordCommand extends TollgateCommand {
    @Option(names = "--stdin", description = "Read the password from the first line of standard input.")
    boolean stdin;

    @Override
    public Integer call() {
        Console console = root.console();
        char[] password = stdin || console == null ? fromStdin() : fromConsole(console);
        try {
            String hash = PasswordHashes.hash(new String(password));
            root.result(Map.of("passwordHash", hash), hash);
            return 0;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static char[] fromConsole(Console console) {
        char[] first = console.readPassword("password: ");
        if (first == null || first.length == 0) {
            throw new CliException("no password given");
        }
        char[] second = console.readPassword("the same password again: ");
        boolean same = Arrays.equals(first, second);
        if (second != null) {
            Arrays.fill(second, '\0');
        }
        if (!same) {
            Arrays.fill(first, '\0');
            throw new CliException("the two passwords differ; nothing printed");
        }
        return first;
    }

    private static char[] fromStdin() {
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new CliException("no password on standard input (the first line is the password)");
            }
            return line.toCharArray();
        } catch (IOException e) {
            throw new CliException("cannot read standard input: " + e.getMessage());
        }
    }
}
