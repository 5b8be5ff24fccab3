package io.tollgate.shared.events;

/**
 * Something an operator did through token-api, on {@code tollgate.auth-events} where security teams read the audit
 * trail: approving or rejecting a subscription, revoking a user's or a client's tokens, logging in to the portal as
 * its admin, running an admin-port task. Keyed and subjected by the operator, so one operator's actions stay in order
 * on one partition. Only actions that took effect are recorded: a refused request writes nothing.
 *
 * @param operator the operator account that acted
 * @param target   what the action was on: the subscription id, the revoked user or client, the task's method and
 *                 path ({@code POST /tasks/gc}); for a
 *                 portal login the operator itself
 * @param version  the subscription version the operator reviewed (decisions only; the written record is one later)
 * @param ip       the address the operator's request came from
 */
public record OperatorAction(
        String operator,
        Action action,
        String target,
        String userId,
        String clientId,
        String api,
        String planId,
        Long version,
        String reason,
        String ip) implements EventData {

    public enum Action {
        SUBSCRIPTION_APPROVED,
        SUBSCRIPTION_REJECTED,
        USER_REVOKED,
        CLIENT_REVOKED,
        PORTAL_LOGIN,
        ADMIN_TASK,
        /** A user blocked: target and userId are the user. */
        USER_BLOCKED,
        /** A block lifted: target and userId are the user. */
        USER_UNBLOCKED,
        /** One change applied from the declarative configuration: target is the registry key ({@code api:<name>},
         *  {@code plan:<id>}), reason says created, updated or deleted. */
        REGISTRY_CHANGED;

        boolean decision() {
            return this == SUBSCRIPTION_APPROVED || this == SUBSCRIPTION_REJECTED;
        }
    }

    public OperatorAction {
        Checks.text(operator, "operator");
        Checks.present(action, "action");
        Checks.text(target, "target");
        if (action.decision()) {
            // what was reviewed: an audit line that cannot say which plan was approved is no audit
            Checks.text(clientId, "clientId");
            Checks.text(api, "api");
            Checks.text(planId, "planId");
            Checks.nonNegative(Checks.present(version, "version"), "version");
        } else if (version != null) {
            throw new IllegalArgumentException("version belongs to subscription decisions only");
        }
        if ((action == Action.USER_REVOKED || action == Action.USER_BLOCKED || action == Action.USER_UNBLOCKED)
                && !target.equals(Checks.text(userId, "userId"))) {
            throw new IllegalArgumentException("a user action's target is its user");
        }
        if (action == Action.CLIENT_REVOKED && !target.equals(Checks.text(clientId, "clientId"))) {
            throw new IllegalArgumentException("a client revocation's target is its client");
        }
    }

    /** An approval or rejection of {@code subscriptionId}, as reviewed: its plan and version. */
    public static OperatorAction decision(String operator, boolean approved, SubscriptionRecord reviewed, String ip) {
        return new OperatorAction(operator, approved ? Action.SUBSCRIPTION_APPROVED : Action.SUBSCRIPTION_REJECTED,
                reviewed.subscriptionId(), null, reviewed.clientId(), reviewed.api(), reviewed.planId(),
                reviewed.version(), null, ip);
    }

    @Override
    public String subject() {
        return operator;
    }
}
