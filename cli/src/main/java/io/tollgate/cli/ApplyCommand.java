package io.tollgate.cli;

import picocli.CommandLine.Command;

/**
 * Makes the registry's APIs and plans those of a {@code tollgate.yaml} through token-api ({@code PUT /admin/config}):
 * the file is the whole desired state, so an API or plan missing from it is deleted. An invalid file changes nothing.
 */
@Command(name = "apply", description = "Apply a tollgate.yaml: create, update and delete APIs and plans so that "
        + "they are the file's; prints what changed.")
final class ApplyCommand extends ConfigCommand {
    @Override
    boolean apply() {
        return true;
    }
}
