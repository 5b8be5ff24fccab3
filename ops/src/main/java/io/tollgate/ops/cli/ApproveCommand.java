package io.tollgate.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Approves a subscription through token-api's operator endpoint
 * {@code POST /portal/api/admin/subscriptions/{id}/approve} (HTTP Basic as an operator, counted in token-api's
 * brute-force guard, plus a portal session's CSRF token, which the portal requires of every admin change: the CLI
 * logs in to the portal as the operator first and logs out after): token-api checks the subscription against its registry view (an unknown one, or one of a
 * deleted app, is 404), writes the approved record to {@code tollgate.registry}, logs the operator, and answers
 * once its own view shows it.
 */
@Command(name = "approve", description = "Approve a subscription (token-api's operator approval endpoint).")
final class ApproveCommand implements Callable<Integer> {
    @ParentCommand
    TollgateCli root;

    @Option(names = {"-u", "--user"}, description = "Operator account for token-api's admin API (default ops); "
            + "password from TOLLGATE_OPERATOR_PASSWORD or a prompt.")
    String operator = "ops";

    @Parameters(paramLabel = "<subscription>", description = "The subscription id, e.g. sub-demo-mobile-app-mobile.")
    String subscriptionId;

    @Override
    public Integer call() {
        JsonNode approved = new OperatorApi(root.tokenApi(), operator, root.operatorPassword(operator))
                .approveSubscription(subscriptionId);
        if (root.json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("approved", "subscription");
            result.put("subscription", approved);
            root.printJson(result);
        } else {
            root.out().println("approved " + subscriptionId + " (client " + approved.path("clientId").asText()
                    + ", API " + approved.path("api").asText() + ", plan " + approved.path("planId").asText() + ")");
            root.out().flush();
        }
        return 0;
    }
}
