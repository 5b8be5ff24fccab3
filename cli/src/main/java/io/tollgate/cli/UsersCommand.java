package io.tollgate.cli;

import picocli.CommandLine.Command;

import java.time.Instant;
import java.util.List;

/** The blocked users, oldest block first, from token-api's operator API ({@code GET /admin/users/blocked}). */
@Command(name = "users", description = "List the blocked users (token-api's operator API).")
final class UsersCommand extends OperatorCommand {
    /** A block as token-api lists it. */
    record Block(String user, String reason, String operator, Instant blockedAt) {
    }

    @Override
    public Integer call() {
        List<Block> blocks = api()
                .blockedUsers();
        if (root.json) {
            root.printJson(blocks);
            return 0;
        }
        if (blocks.isEmpty()) {
            root.out().println("no blocked users");
            root.out().flush();
            return 0;
        }
        Table table = new Table("USER", "BLOCKED AT", "OPERATOR", "REASON");
        for (Block b : blocks) {
            table.row(b.user(), b.blockedAt(), b.operator(), b.reason());
        }
        table.print(root.out());
        return 0;
    }
}
