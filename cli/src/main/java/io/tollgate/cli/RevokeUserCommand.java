package io.tollgate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Map;

@Command(name = "revoke-user", description = "Revoke every token of a user (all applications, or one with --client).")
final class RevokeUserCommand extends RevokeCommand {
    @Parameters(paramLabel = "<user>", description = "The user id (uid), e.g. alice.")
    String user;

    @Option(names = "--client", description = "Only this client's tokens.")
    String client;

    @Override
    String revoke(OperatorApi api, Map<String, Object> revoked) {
        api.revokeUser(user, client, reason);
        revoked.put("revoked", "user");
        revoked.put("user", user);
        revoked.put("client", client);
        return "user " + user + (client == null ? "" : " for client " + client);
    }
}
