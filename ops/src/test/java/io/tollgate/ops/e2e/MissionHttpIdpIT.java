package io.tollgate.ops.e2e;

import org.junit.jupiter.api.Order;

/**
 * {@link MissionIT}'s whole mission, every check, on a stack whose identity provider is the demo HTTP identity
 * provider (token-api and policy-worker on their {@code config/http-idp.yml}) instead of LDAP: the demo data
 * behaves exactly as with the directory. It boots its own stack after the LDAP stack's classes, which it closes first.
 */
@SharedStack.HttpIdp
@Order(SharedStack.MISSION_HTTP_IDP)
class MissionHttpIdpIT extends MissionIT {
}
