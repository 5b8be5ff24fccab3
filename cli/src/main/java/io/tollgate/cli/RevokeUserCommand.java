package io.tollgate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "revoke-user", description = "Revoke every token of a user (all applications, or one with --client).")
final class RevokeUserCommand extends OperatorCommand {
    @Parameters(paramLabel = "<user>", description = "The user id (uid), e.g. alice.")
    String user;

    @Option(names = "--client", description = "Only this client's tokens.")
    String client;

    @Option(names = "--reason", description = "Why (kept in the audit trail).")
    String reason;

    @Override
    public Integer call() {
        api().revokeUser(user, client, reason);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("revoked", "user");
        result.put("user", user);
        result.put("client", client);
        result.put("reason", reason);
        root.result(result, "revoked every token of user " + user + (client == null ? "" : " for client " + client)
                + "; gateways enforce it within 1 s");
        return 0;
    }
}
