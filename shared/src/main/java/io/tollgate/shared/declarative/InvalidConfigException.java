package io.tollgate.shared.declarative;

import java.util.List;

/** A declarative configuration that cannot be applied, with every reason found. */
public final class InvalidConfigException extends RuntimeException {
    private final List<ConfigError> errors;

    public InvalidConfigException(List<ConfigError> errors) {
        super(errors.size() + " error(s) in the configuration", null, false, false);
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
