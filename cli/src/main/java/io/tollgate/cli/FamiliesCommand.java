package io.tollgate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.List;

/**
 * A user's live refresh-token families (devices), oldest first, from token-api's operator endpoint
 * {@code GET /admin/users/{user}/families}: token-api judges liveness with its own revocation rules, and answers
 * 503 while revocation-stream's projection is being rebuilt.
 */
@Command(name = "families", description = "List a user's live token families (devices), oldest first (token-api's operator API).")
final class FamiliesCommand extends OperatorCommand {
    /** One live family as token-api lists it (never a token or its hash). */
    record Family(String familyId, String user, String client, int generation, Instant createdAt, Instant expiresAt,
                  String scope, String subscriptionId, String planId) {
    }

    @Parameters(paramLabel = "<user>")
    String user;

    @Option(names = "--client", description = "Only this client's families.")
    String client;

    @Override
    public Integer call() {
        List<Family> families = api()
                .families(user, client);
        if (root.json) {
            root.printJson(families);
            return 0;
        }
        if (families.isEmpty()) {
            root.out().println("no live token families for user " + user + (client == null ? "" : " and client " + client));
            root.out().flush();
            return 0;
        }
        Table table = new Table("FAMILY", "CLIENT", "CREATED", "REFRESH EXPIRES", "GEN", "SCOPE", "PLAN");
        for (Family f : families) {
            table.row(f.familyId(), f.client(), f.createdAt(), f.expiresAt(), f.generation(), f.scope(), f.planId());
        }
        table.print(root.out());
        return 0;
    }
}
