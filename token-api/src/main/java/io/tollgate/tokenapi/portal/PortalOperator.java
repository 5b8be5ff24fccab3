package io.tollgate.tokenapi.portal;

import java.security.Principal;

/** The operator behind a call to the portal's admin API, by HTTP Basic or by an admin portal session. */
public record PortalOperator(String name) implements Principal {
    @Override
    public String getName() {
        return name;
    }
}
