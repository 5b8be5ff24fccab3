package io.tollgate.tokenapi.auth;

import java.security.Principal;

/** An operator account that proved itself with HTTP Basic ({@code operators[]} in the configuration). */
public record Operator(String name) implements Principal {
    public Operator {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an operator has a name");
        }
    }

    @Override
    public String getName() {
        return name;
    }
}
