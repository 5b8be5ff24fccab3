package io.tollgate.cli;

import picocli.CommandLine.Command;

/** Rejects a subscription as reviewed ({@link DecisionCommand}). */
@Command(name = "reject", description = "Reject a subscription as reviewed: its plan and version "
        + "(token-api refuses it with 409 if the subscription changed since).")
final class RejectCommand extends DecisionCommand {
}
