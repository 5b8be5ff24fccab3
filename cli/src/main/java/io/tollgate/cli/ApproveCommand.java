package io.tollgate.cli;

import picocli.CommandLine.Command;

/** Approves a subscription as reviewed ({@link DecisionCommand}). */
@Command(name = "approve", description = "Approve a subscription as reviewed: its plan and version "
        + "(token-api refuses it with 409 if the subscription changed since).")
final class ApproveCommand extends DecisionCommand {
}
