package io.tollgate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "revoke-client", description = "Revoke every token issued to a client.")
final class RevokeClientCommand implements Callable<Integer> {
    @ParentCommand
    TollgateCli root;

    @Option(names = {"-u", "--user"}, description = "Operator account for token-api's admin API (default ops); "
            + "password from TOLLGATE_OPERATOR_PASSWORD or a prompt.")
    String operator = "ops";

    @Parameters(paramLabel = "<client>", description = "The client_id, e.g. demo-mobile.")
    String client;

    @Option(names = "--reason", description = "Why (kept in the audit trail).")
    String reason;

    @Override
    public Integer call() {
        new OperatorApi(root.tokenApi(), operator, root.operatorPassword(operator)).revokeClient(client, reason);
        if (root.json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("revoked", "client");
            result.put("client", client);
            result.put("reason", reason);
            root.printJson(result);
        } else {
            root.out().println("revoked every token of client " + client + "; gateways enforce it within 1 s");
            root.out().flush();
        }
        return 0;
    }
}
