package io.tollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An operator's decision on a subscription through token-api ({@code POST /portal/api/admin/subscriptions/{id}/
 * approve|reject}, HTTP Basic as an operator). token-api binds the decision to what was reviewed: the request names
 * the plan and the subscription version, and a subscription changed since (the developer switched plans) is 409
 * with nothing written. With {@code --plan} and {@code --version} (as shown earlier, e.g. in the portal's queue)
 * those are sent; without them the command reads the subscription, prints its plan and version, and sends those:
 * usable from scripts, and a change between the read and the decision is still refused. The portal requires a
 * session's CSRF token on every admin change, Basic or not, so the command logs in to the portal as the operator
 * first, sends the decision with Basic, the session cookie and the CSRF token, and logs out at the end.
 */
abstract class DecisionCommand extends OperatorCommand {
    @Option(names = "--plan", description = "The plan that was reviewed (with --version); refused if it changed.")
    String plan;

    @Option(names = "--version", description = "The subscription version that was reviewed (with --plan).")
    Long version;

    @Parameters(paramLabel = "<subscription>", description = "The subscription id, e.g. sub-demo-mobile-app-mobile.")
    String subscriptionId;

    @Spec
    CommandSpec spec;

    /** {@code approve} or {@code reject}: the command's name, and the endpoint's last path segment. */
    private String decision() {
        return spec.name();
    }

    /** {@code approved} or {@code rejected}: what the output says. */
    private String done() {
        return decision().equals("approve") ? "approved" : "rejected";
    }

    @Override
    public Integer call() {
        if ((plan == null) != (version == null)) {
            throw new CliException("--plan and --version go together: name both as reviewed, or neither to review "
                    + "the subscription now", 2);
        }
        if (version != null && version < 0) {
            throw new CliException("--version must be 0 or more", 2);
        }
        OperatorApi api = api();
        String reviewedPlan = plan;
        long reviewedVersion = version == null ? 0 : version;
        JsonNode decided;
        OperatorApi.PortalSession session = api.portalLogin();
        try {
            if (plan == null) {
                JsonNode current = api.subscription(subscriptionId, session);
                reviewedPlan = current.path("planId").asText();
                reviewedVersion = current.path("version").asLong();
                if (!root.json) {
                    root.out().println("reviewing " + subscriptionId + ": client " + current.path("clientId").asText()
                            + ", API " + current.path("api").asText() + ", plan " + reviewedPlan + ", version "
                            + reviewedVersion + ", " + current.path("status").asText());
                    root.out().flush();
                }
            }
            decided = api.decideSubscription(subscriptionId, decision(), reviewedPlan, reviewedVersion, session);
        } finally {
            api.portalLogout(session);
        }
        if (root.json) {
            Map<String, Object> reviewed = new LinkedHashMap<>();
            reviewed.put("planId", reviewedPlan);
            reviewed.put("version", reviewedVersion);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put(done(), "subscription");
            result.put("reviewed", reviewed);
            result.put("subscription", decided);
            root.printJson(result);
        } else {
            root.out().println(done() + " " + subscriptionId + " (client " + decided.path("clientId").asText()
                    + ", API " + decided.path("api").asText() + ", plan " + decided.path("planId").asText()
                    + ", reviewed version " + reviewedVersion + ")");
            root.out().flush();
        }
        return 0;
    }
}
