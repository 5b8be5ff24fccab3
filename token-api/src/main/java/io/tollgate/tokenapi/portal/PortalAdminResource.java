package io.tollgate.tokenapi.portal;

import io.dropwizard.auth.Auth;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.registry.RegistryView;
import io.tollgate.tokenapi.api.portal.SubscriptionDecision;
import io.tollgate.tokenapi.api.portal.SubscriptionView;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The operators' side of the portal under {@code /portal/api/admin} (contract: {@code portal/openapi.yaml}): the
 * subscriptions, and approving or rejecting one. The operator is {@code @Auth PortalOperator}
 * ({@link PortalOperatorAuthenticator}: HTTP Basic or an admin session; a change needs a session's CSRF token).
 */
@Path("/portal/api/admin")
@Produces(MediaType.APPLICATION_JSON)
public class PortalAdminResource {
    private static final Logger LOG = LoggerFactory.getLogger(PortalAdminResource.class);

    private final RegistryView registry;
    private final SubscriptionWrites subscriptions;

    public PortalAdminResource(RegistryView registry, SubscriptionWrites subscriptions) {
        this.registry = registry;
        this.subscriptions = subscriptions;
    }

    @GET
    @Path("/subscriptions")
    public Response subscriptions(@Auth PortalOperator operator, @QueryParam("status") String status) {
        List<SubscriptionView> subs = registry.allSubscriptions().stream()
                .filter(s -> status == null || status.isBlank() || s.status().name().equalsIgnoreCase(status))
                .sorted(Comparator.comparing(SubscriptionRecord::updatedAt)).map(PortalViews::subscription).toList();
        return PortalViews.noStore(Map.of("subscriptions", subs));
    }

    /**
     * An operator's approval or rejection, bound to what the operator reviewed: the body names the plan and the
     * subscription version shown. If the subscription is no longer that (the developer switched plans, another
     * operator decided), the answer is 409 {@code subscription_changed} and nothing is written. A decision that
     * took effect is an {@code operator.action} on the audit stream.
     */
    @POST
    @Path("/subscriptions/{subscriptionId}/{decision: approve|reject}")
    @JsonBody
    public Response decide(@Auth PortalOperator operator, @PathParam("subscriptionId") String subscriptionId,
                           @PathParam("decision") String decision, @Context HttpServletRequest request,
                           @NotNull @Valid SubscriptionDecision body) {
        SubscriptionRecord changed = subscriptions.decide(subscriptionId, body.planId(), body.version(),
                decision.equals("approve"), operator.name(), request.getRemoteAddr());
        LOG.info("event=portal.subscription_{} subscription={} operator={} plan={} version={}", decision,
                subscriptionId, operator.name(), changed.planId(), changed.version());
        return PortalViews.noStore(PortalViews.subscription(changed));
    }
}
