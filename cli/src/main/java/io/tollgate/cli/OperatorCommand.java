package io.tollgate.cli;

import picocli.CommandLine.Option;

/** A command that calls token-api's operator API as the {@code --user} operator account. */
abstract class OperatorCommand extends TollgateCommand {
    @Option(names = {"-u", "--user"}, description = "Operator account for token-api's admin API (default ops); "
            + "password from TOLLGATE_OPERATOR_PASSWORD or a prompt.")
    String operator = "ops";

    /** token-api's operator API as this account; the password comes from {@link TollgateCli#operatorPassword}. */
    OperatorApi api() {
        return new OperatorApi(root.tokenApi(), operator, root.operatorPassword(operator));
    }
}
