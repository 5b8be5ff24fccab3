package io.tollgate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** Lifts a user's block through token-api's operator API ({@code DELETE /admin/users/{user}/block}). */
@Command(name = "unblock-user", description = "Lift a user's block: they may log in again (their revoked tokens stay "
        + "revoked).")
final class UnblockUserCommand implements Callable<Integer> {
    @ParentCommand
    TollgateCli root;

    @Option(names = {"-u", "--user"}, description = "Operator account for token-api's admin API (default ops); "
            + "password from TOLLGATE_OPERATOR_PASSWORD or a prompt.")
    String operator = "ops";

    @Parameters(paramLabel = "<user>", description = "The user id (uid), e.g. alice.")
    String user;

    @Override
    public Integer call() {
        UsersCommand.Block lifted = new OperatorApi(root.tokenApi(), operator, root.operatorPassword(operator))
                .unblockUser(user);
        if (root.json) {
            root.printJson(lifted);
        } else {
            root.out().println("unblocked user " + lifted.user() + " (blocked since " + lifted.blockedAt() + " by "
                    + lifted.operator() + ")");
            root.out().flush();
        }
        return 0;
    }
}
