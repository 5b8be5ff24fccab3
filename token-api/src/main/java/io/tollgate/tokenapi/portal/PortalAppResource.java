package io.tollgate.tokenapi.portal;

import io.dropwizard.auth.Auth;
import io.tollgate.shared.crypto.PasswordHashes;
import io.tollgate.shared.crypto.RandomTokens;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.registry.RegistryView;
import io.tollgate.tokenapi.api.portal.AppView;
import io.tollgate.tokenapi.api.portal.GrantTypesChange;
import io.tollgate.tokenapi.api.portal.NewAppView;
import io.tollgate.tokenapi.api.portal.NewApplication;
import io.tollgate.tokenapi.api.portal.NewSubscription;
import io.tollgate.tokenapi.api.portal.PlanView;
import io.tollgate.tokenapi.api.portal.RedirectUrisChange;
import io.tollgate.tokenapi.core.RedirectUris;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A developer's applications under {@code /portal/api} (contract: {@code portal/openapi.yaml}): the plans on
 * offer, registering, reading and deleting apps, their secret, redirect URIs and grant types, their subscriptions
 * and usage. Every call needs a developer's portal session ({@code @Auth}); a change also its CSRF token. An app
 * that is not the caller's is 404, as an unknown one. All state is in {@code tollgate.registry}.
 */
@Path("/portal/api")
@Produces(MediaType.APPLICATION_JSON)
public class PortalAppResource {
    private static final Logger LOG = LoggerFactory.getLogger(PortalAppResource.class);

    private final RegistryView registry;
    private final RegistryWriter writer;
    private final SubscriptionWrites subscriptions;
    private final UsageReader usage;
    private final PortalViews views;
    private final Clock clock;

    public PortalAppResource(RegistryView registry, RegistryWriter writer, SubscriptionWrites subscriptions,
                             UsageReader usage, Clock clock) {
        this.registry = registry;
        this.writer = writer;
        this.subscriptions = subscriptions;
        this.usage = usage;
        this.views = new PortalViews(registry);
        this.clock = clock;
    }

    @GET
    @Path("/plans")
    public Response plans(@Auth PortalSessions.Session session) {
        List<PlanView> plans = registry.plans().stream()
                .sorted(Comparator.comparing(PlanRecord::api).thenComparing(PlanRecord::planId))
                .map(PortalViews::plan).toList();
        return PortalViews.noStore(Map.of("plans", plans));
    }

    @GET
    @Path("/apps")
    public Response apps(@Auth PortalSessions.Session session) {
        List<AppView> apps = registry.applications().stream().filter(a -> owns(session, a))
                .sorted(Comparator.comparing(ApplicationRecord::createdAt)).map(views::app).toList();
        return PortalViews.noStore(Map.of("apps", apps));
    }

    @POST
    @Path("/apps")
    @JsonBody
    public Response register(@Auth PortalSessions.Session session, @NotNull @Valid NewApplication body) {
        if (session.developerId() == null) {
            throw new PortalException(403, "forbidden", "applications belong to developer accounts; sign up as one");
        }
        String name = body.name().trim();
        if (name.isEmpty() || name.chars().anyMatch(Character::isISOControl)) {
            throw PortalException.badRequest("invalid name");
        }
        ApplicationRecord.ClientType type = switch (body.type()) {
            case "public" -> ApplicationRecord.ClientType.PUBLIC;
            case "confidential" -> ApplicationRecord.ClientType.CONFIDENTIAL;
            default -> throw PortalException.badRequest("type must be public or confidential");
        };
        Set<String> grants = AppGrants.choose(body.grantTypes(), type, AppGrants.DEFAULT);
        String clientId = newClientId(name);
        String secret = type == ApplicationRecord.ClientType.CONFIDENTIAL ? RandomTokens.generate(256) : null;
        ApplicationRecord app = new ApplicationRecord("app-" + RandomTokens.id(), clientId, name, type,
                secret == null ? null : PasswordHashes.hash(secret), session.email(), clock.instant(),
                session.developerId(), grants, List.of(), false);
        writer.put(app, () -> registry.application(clientId).isPresent());
        LOG.info("event=portal.app_registered client={} type={}", clientId, type);
        // the secret is shown in this answer only; only its hash is kept
        return Response.status(201).header("Cache-Control", "no-store").entity(new NewAppView(views.app(app), secret))
                .build();
    }

    @GET
    @Path("/apps/{clientId}")
    public Response app(@Auth PortalSessions.Session session, @PathParam("clientId") String clientId) {
        return PortalViews.noStore(views.app(owned(session, clientId)));
    }

    @DELETE
    @Path("/apps/{clientId}")
    public Response deleteApp(@Auth PortalSessions.Session session, @PathParam("clientId") String clientId) {
        ApplicationRecord app = owned(session, clientId);
        for (SubscriptionRecord sub : registry.subscriptions(clientId)) {
            writer.delete(SubscriptionRecord.key(clientId, sub.api()));
        }
        writer.delete(ApplicationRecord.key(clientId));
        writer.await(() -> registry.application(clientId).isEmpty() && registry.subscriptions(clientId).isEmpty(),
                ApplicationRecord.key(clientId));
        LOG.info("event=portal.app_deleted client={}", app.clientId());
        return Response.noContent().build();
    }

    @POST
    @Path("/apps/{clientId}/secret")
    public Response rotateSecret(@Auth PortalSessions.Session session, @PathParam("clientId") String clientId) {
        ApplicationRecord app = owned(session, clientId);
        if (app.clientType() != ApplicationRecord.ClientType.CONFIDENTIAL) {
            throw new PortalException(409, "public_client", "a public client has no secret");
        }
        String secret = RandomTokens.generate(256);
        String hash = PasswordHashes.hash(secret);
        write(app, hash, app.grantTypes(), app.redirectUris(), written -> written.secretHash().equals(hash));
        LOG.info("event=portal.secret_rotated client={}", clientId);
        return Response.ok(Map.of("clientId", clientId, "clientSecret", secret)).header("Cache-Control", "no-store")
                .build();
    }

    /**
     * Replaces the app's redirect URIs (authorization code flow), each checked by {@link RedirectUris#problem}
     * (claimed https, reverse-domain private-use scheme, loopback IP literal).
     */
    @PUT
    @Path("/apps/{clientId}/redirect-uris")
    @JsonBody
    public Response redirectUris(@Auth PortalSessions.Session session, @PathParam("clientId") String clientId,
                                 @NotNull @Valid RedirectUrisChange body) {
        ApplicationRecord app = owned(session, clientId);
        Set<String> uris = new LinkedHashSet<>();
        for (String uri : body.redirectUris()) {
            RedirectUris.problem(uri).ifPresent(problem -> {
                throw PortalException.badRequest(problem);
            });
            uris.add(uri);
        }
        List<String> wanted = List.copyOf(uris);
        ApplicationRecord updated = write(app, app.secretHash(), app.grantTypes(), wanted,
                written -> written.redirectUris().equals(wanted));
        LOG.info("event=portal.redirect_uris_set client={} count={}", clientId, wanted.size());
        return PortalViews.noStore(views.app(updated));
    }

    /** Replaces the application's grant types (see {@link AppGrants}); answers the application. */
    @PUT
    @Path("/apps/{clientId}/grants")
    @JsonBody
    public Response changeGrants(@Auth PortalSessions.Session session, @PathParam("clientId") String clientId,
                                 @NotNull @Valid GrantTypesChange body) {
        ApplicationRecord app = owned(session, clientId);
        Set<String> grants = AppGrants.choose(body.grantTypes(), app.clientType(), null);
        ApplicationRecord changed = write(app, app.secretHash(), grants, app.redirectUris(),
                written -> written.grantTypes().equals(grants));
        LOG.info("event=portal.grants_changed client={} grants={}", clientId, new TreeSet<>(grants));
        return PortalViews.noStore(views.app(changed));
    }

    @POST
    @Path("/apps/{clientId}/subscriptions")
    @JsonBody
    public Response subscribe(@Auth PortalSessions.Session session, @PathParam("clientId") String clientId,
                              @NotNull @Valid NewSubscription body) {
        ApplicationRecord app = owned(session, clientId);
        String api = body.api();
        String planId = body.planId();
        PlanRecord plan = registry.plan(planId).filter(p -> p.api().equals(api))
                .orElseThrow(() -> PortalException.badRequest("no plan " + planId + " for API " + api));
        SubscriptionRecord.Status status = plan.requiresApproval() ? SubscriptionRecord.Status.PENDING
                : SubscriptionRecord.Status.APPROVED;
        SubscriptionRecord sub = subscriptions.subscribe(app, api, planId, status);
        LOG.info("event=portal.subscribed client={} api={} plan={} status={}", clientId, api, planId, status);
        return Response.status(201).entity(PortalViews.subscription(sub)).build();
    }

    @GET
    @Path("/apps/{clientId}/usage")
    public Response usage(@Auth PortalSessions.Session session, @PathParam("clientId") String clientId) {
        ApplicationRecord app = owned(session, clientId);
        List<Map.Entry<String, PlanRecord>> plans = new ArrayList<>();
        for (SubscriptionRecord sub : registry.subscriptions(app.clientId())) {
            registry.plan(sub.planId()).ifPresent(p -> plans.add(Map.entry(sub.api(), p)));
        }
        return PortalViews.noStore(usage.read(app.clientId(), plans));
    }

    /**
     * Writes {@code app} with a new secret hash, grants or redirect URIs, and waits until this node's registry view
     * shows the change ({@code landed}): the developer's next read sees it.
     */
    private ApplicationRecord write(ApplicationRecord app, String secretHash, Set<String> grants,
                                    List<String> redirectUris, Predicate<ApplicationRecord> landed) {
        ApplicationRecord changed = new ApplicationRecord(app.applicationId(), app.clientId(), app.name(),
                app.clientType(), secretHash, app.owner(), app.createdAt(), app.ownerId(), grants, redirectUris,
                app.dpopRequired());
        writer.put(changed, () -> registry.application(app.clientId()).map(landed::test).orElse(false));
        return changed;
    }

    /** The caller's own application; any other (or unknown) client id is 404, not 403. */
    private ApplicationRecord owned(PortalSessions.Session s, String clientId) {
        return registry.application(clientId).filter(a -> owns(s, a)).orElseThrow(PortalException::notFound);
    }

    /**
     * Apps are owned by developer account id. A record from before accounts owned apps (no {@code ownerId}) is
     * owned by the verified account of its owner address; an unverified account or an operator owns nothing.
     */
    private boolean owns(PortalSessions.Session s, ApplicationRecord app) {
        if (s.developerId() == null) {
            return false;
        }
        if (app.ownerId() != null) {
            return app.ownerId().equals(s.developerId());
        }
        return s.email().equals(app.owner()) && registry.developer(s.email())
                .filter(d -> d.verified() && d.developerId().equals(s.developerId())).isPresent();
    }

    private String newClientId(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        slug = slug.isEmpty() ? "app" : slug.length() > 24 ? slug.substring(0, 24).replaceAll("-+$", "") : slug;
        for (int i = 0; i < 10; i++) {
            String id = slug + "-" + RandomTokens.id().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "")
                    .substring(0, 6);
            if (registry.application(id).isEmpty()) {
                return id;
            }
        }
        throw PortalException.unavailable("could not allocate a client id");
    }
}
