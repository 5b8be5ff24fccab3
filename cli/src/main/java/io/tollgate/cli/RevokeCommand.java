package io.tollgate.cli;

import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Revokes every token of a user or of a client through token-api's operator API
 * ({@code POST /admin/users/{user}/revoke}, {@code POST /admin/clients/{client}/revoke}); gateways enforce a
 * revocation within a second.
 */
abstract class RevokeCommand extends OperatorCommand {
    @Option(names = "--reason", description = "Why (kept in the audit trail).")
    String reason;

    /**
     * Sends the revocation and puts what it covers into {@code revoked} ({@code revoked}: user or client, then their
     * ids); returns the same for the line printed, e.g. {@code user alice for client demo-mobile}.
     */
    abstract String revoke(OperatorApi api, Map<String, Object> revoked);

    @Override
    public final Integer call() {
        Map<String, Object> result = new LinkedHashMap<>();
        String revoked = revoke(api(), result);
        result.put("reason", reason);
        root.result(result, "revoked every token of " + revoked + "; gateways enforce it within 1 s");
        return 0;
    }
}
