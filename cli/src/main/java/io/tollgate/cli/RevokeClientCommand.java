package io.tollgate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "revoke-client", description = "Revoke every token issued to a client.")
final class RevokeClientCommand extends OperatorCommand {
    @Parameters(paramLabel = "<client>", description = "The client_id, e.g. demo-mobile.")
    String client;

    @Option(names = "--reason", description = "Why (kept in the audit trail).")
    String reason;

    @Override
    public Integer call() {
        api().revokeClient(client, reason);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("revoked", "client");
        result.put("client", client);
        result.put("reason", reason);
        root.result(result, "revoked every token of client " + client + "; gateways enforce it within 1 s");
        return 0;
    }
}
