package io.tollgate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Lifts a user's block through token-api's operator API ({@code DELETE /admin/users/{user}/block}). */
@Command(name = "unblock-user", description = "Lift a user's block: they may log in again (their revoked tokens stay "
        + "revoked).")
final class UnblockUserCommand extends OperatorCommand {
    @Parameters(paramLabel = "<user>", description = "The user id (uid), e.g. alice.")
    String user;

    @Override
    public Integer call() {
        UsersCommand.Block lifted = api().unblockUser(user);
        root.result(lifted, "unblocked user " + lifted.user() + " (blocked since " + lifted.blockedAt() + " by "
                + lifted.operator() + ")");
        return 0;
    }
}
