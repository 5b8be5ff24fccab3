package io.tollgate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Blocks a user through token-api's operator API ({@code POST /admin/users/{user}/block}): every token of the user is
 * revoked and every grant refuses them until {@code unblock-user}.
 */
@Command(name = "block-user", description = "Block a user: revoke every token of theirs and refuse their logins and "
        + "refreshes on every grant until unblock-user.")
final class BlockUserCommand extends OperatorCommand {
    @Parameters(paramLabel = "<user>", description = "The user id (uid), e.g. alice.")
    String user;

    @Option(names = "--reason", description = "Why (kept with the block and in the audit trail).")
    String reason;

    @Override
    public Integer call() {
        UsersCommand.Block block = api().blockUser(user, reason);
        root.result(block, "blocked user " + block.user() + ": every token revoked (gateways enforce it within 1 s),"
                + " logins refused until unblock-user");
        return 0;
    }
}
