package io.tollgate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.Map;

@Command(name = "revoke-client", description = "Revoke every token issued to a client.")
final class RevokeClientCommand extends RevokeCommand {
    @Parameters(paramLabel = "<client>", description = "The client_id, e.g. demo-mobile.")
    String client;

    @Override
    String revoke(OperatorApi api, Map<String, Object> revoked) {
        api.revokeClient(client, reason);
        revoked.put("revoked", "client");
        revoked.put("client", client);
        return "client " + client;
    }
}
