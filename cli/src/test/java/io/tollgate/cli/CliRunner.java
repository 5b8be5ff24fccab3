package io.tollgate.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs the CLI in-process with a given environment and captures what it prints. */
final class CliRunner {
    record Result(int code, String out, String err) {
    }

    private CliRunner() {
    }

    static Result run(Map<String, String> env, String... args) {
        return run(env, new StringWriter(), new StringWriter(), args);
    }

    /** With writers the caller can watch while the command runs (e.g. a progress bar). */
    static Result run(Map<String, String> env, StringWriter out, StringWriter err, String... args) {
        CommandLine cmd = TollgateCli.commandLine(env, null);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
