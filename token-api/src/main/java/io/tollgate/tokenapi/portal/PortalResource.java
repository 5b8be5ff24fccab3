package io.tollgate.tokenapi.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.shared.auth.BasicAuthenticator;
import io.tollgate.shared.crypto.PasswordHashes;
import io.tollgate.shared.crypto.RandomTokens;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.DeveloperRecord;
import io.tollgate.shared.events.OperatorAction;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.registry.RegistryView;
import io.tollgate.tokenapi.core.FormParser;
import io.tollgate.tokenapi.core.RedirectUris;
import io.tollgate.tokenapi.kafka.OperatorAudit;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The developer portal's JSON API under {@code /portal/api} (contract: {@code portal/openapi.yaml}). Developers
 * sign up and log in (session cookie + CSRF synchronizer token), register applications, subscribe them to plans
 * and read their usage; operators approve subscriptions. All state is in {@code tollgate.registry}.
 */
@Path("/portal/api")
@Produces(MediaType.APPLICATION_JSON)
public class PortalResource {
    private static final Logger LOG = LoggerFactory.getLogger(PortalResource.class);
    public static final String COOKIE = "tg_portal";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final int MAX_BODY = 8 * 1024;
    private static final Pattern EMAIL = Pattern.compile("[a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,190}\\.[a-z]{2,24}");

    private final RegistryView registry;
    private final RegistryWriter writer;
    private final PortalSessions sessions;
    private final LoginThrottle throttle;
    private final BasicAuthenticator operators;
    private final DeveloperAccounts accounts;
    private final OperatorAudit audit;
    private final UsageReader usage;
    private final ObjectMapper mapper;
    private final Clock clock;
    /** Serialises this node's subscription writes, so a version is checked and superseded in one step. */
    private final Object subscriptionWrites = new Object();

    public PortalResource(RegistryView registry, RegistryWriter writer, PortalSessions sessions, LoginThrottle throttle,
                          BasicAuthenticator operators, DeveloperAccounts accounts, OperatorAudit audit,
                          UsageReader usage, ObjectMapper mapper, Clock clock) {
        this.registry = registry;
        this.writer = writer;
        this.sessions = sessions;
        this.throttle = throttle;
        this.operators = operators;
        this.accounts = accounts;
        this.audit = audit;
        this.usage = usage;
        this.mapper = mapper;
        this.clock = clock;
    }

    // ---- accounts ------------------------------------------------------------------------------------------

    /**
     * Starts a sign-up: 202 and the same body whether the address is new or taken (a mail goes out either way);
     * the account exists once the link in the mail is opened ({@link #verify}).
     */
    @POST
    @Path("/signup")
    public Response signup(@Context HttpServletRequest request, InputStream body) {
        JsonNode json = json(request, body);
        String email = email(text(json, "email", 254));
        String password = text(json, "password", 200);
        if (password.length() < 10) {
            throw PortalException.badRequest("the password needs at least 10 characters");
        }
        accounts.signup(email, password, request.getRemoteAddr());
        return Response.status(202).header("Cache-Control", "no-store").entity(Map.of("status", "verification_sent"))
                .build();
    }

    /** Opens the link of a sign-up mail: the token from it and the password chosen at sign-up; logs the account in. */
    @POST
    @Path("/verify")
    public Response verify(@Context HttpServletRequest request, InputStream body) {
        JsonNode json = json(request, body);
        String token = text(json, "token", 100);
        String password = text(json, "password", 200);
        DeveloperAccounts.Entrant who = accounts.verify(token, password, request.getRemoteAddr());
        return withSession(Response.ok(), sessions.create(who.email(), who.developerId(), false), request);
    }

    @POST
    @Path("/login")
    public Response login(@Context HttpServletRequest request, InputStream body) {
        JsonNode json = json(request, body);
        String email = text(json, "email", 254).trim().toLowerCase(Locale.ROOT);
        String password = text(json, "password", 200);
        String ip = request.getRemoteAddr();
        throttle.check(email, ip);
        DeveloperAccounts.Entrant who = accounts.login(email, password, ip);
        if (who == null) {
            throttle.failed(email, ip);
            LOG.info("event=portal.login_failed ip={}", ip);
            throw new PortalException(401, "invalid_credentials", "wrong e-mail or password");
        }
        throttle.reset(email);
        LOG.info("event=portal.login admin={}", who.admin());
        if (who.admin()) {
            audit.record(new OperatorAction(email, OperatorAction.Action.PORTAL_LOGIN, email, null, null, null, null,
                    null, null, ip));
        }
        return withSession(Response.ok(), sessions.create(who.email(), who.developerId(), who.admin()), request);
    }

    @POST
    @Path("/logout")
    public Response logout(@CookieParam(COOKIE) String cookie, @HeaderParam(CSRF_HEADER) String csrf,
                           @Context HttpServletRequest request) {
        PortalSessions.Session session = changing(cookie, csrf);
        sessions.delete(session.id());
        return Response.noContent().header("Set-Cookie", cookie("", 0, request)).build();
    }

    @GET
    @Path("/session")
    public Response session(@CookieParam(COOKIE) String cookie) {
        return noStore(sessionBody(reading(cookie)));
    }

    // ---- plans ---------------------------------------------------------------------------------------------

    @GET
    @Path("/plans")
    public Response plans(@CookieParam(COOKIE) String cookie) {
        reading(cookie);
        List<Map<String, Object>> plans = registry.plans().stream()
                .sorted(Comparator.comparing(PlanRecord::api).thenComparing(PlanRecord::planId)).map(PortalResource::plan)
                .toList();
        return noStore(Map.of("plans", plans));
    }

    // ---- applications --------------------------------------------------------------------------------------

    @GET
    @Path("/apps")
    public Response apps(@CookieParam(COOKIE) String cookie) {
        PortalSessions.Session s = reading(cookie);
        List<Map<String, Object>> apps = registry.applications().stream().filter(a -> owns(s, a))
                .sorted(Comparator.comparing(ApplicationRecord::createdAt)).map(this::app).toList();
        return noStore(Map.of("apps", apps));
    }

    @POST
    @Path("/apps")
    public Response register(@CookieParam(COOKIE) String cookie, @HeaderParam(CSRF_HEADER) String csrf,
                             @Context HttpServletRequest request, InputStream body) {
        PortalSessions.Session s = changing(cookie, csrf);
        if (s.developerId() == null) {
            throw new PortalException(403, "forbidden", "applications belong to developer accounts; sign up as one");
        }
        JsonNode json = json(request, body);
        String name = text(json, "name", 80).trim();
        if (name.isEmpty() || name.chars().anyMatch(Character::isISOControl)) {
            throw PortalException.badRequest("invalid name");
        }
        ApplicationRecord.ClientType type = switch (text(json, "type", 20)) {
            case "public" -> ApplicationRecord.ClientType.PUBLIC;
            case "confidential" -> ApplicationRecord.ClientType.CONFIDENTIAL;
            default -> throw PortalException.badRequest("type must be public or confidential");
        };
        Set<String> grants = AppGrants.read(json, "grantTypes", type, AppGrants.DEFAULT);
        String clientId = newClientId(name);
        String secret = type == ApplicationRecord.ClientType.CONFIDENTIAL ? RandomTokens.generate(256) : null;
        ApplicationRecord app = new ApplicationRecord("app-" + RandomTokens.id(), clientId, name, type,
                secret == null ? null : PasswordHashes.hash(secret), s.email(), clock.instant(), s.developerId(),
                grants, List.of(), false);
        writer.put(app, () -> registry.application(clientId).isPresent());
        LOG.info("event=portal.app_registered client={} type={}", clientId, type);
        Map<String, Object> out = app(app);
        if (secret != null) {
            out.put("clientSecret", secret);   // shown once; only the hash is kept
        }
        return Response.status(201).header("Cache-Control", "no-store").entity(out).build();
    }

    @GET
    @Path("/apps/{clientId}")
    public Response app(@CookieParam(COOKIE) String cookie, @PathParam("clientId") String clientId) {
        return noStore(app(owned(reading(cookie), clientId)));
    }

    @DELETE
    @Path("/apps/{clientId}")
    public Response deleteApp(@CookieParam(COOKIE) String cookie, @HeaderParam(CSRF_HEADER) String csrf,
                              @PathParam("clientId") String clientId) {
        ApplicationRecord app = owned(changing(cookie, csrf), clientId);
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
    public Response rotateSecret(@CookieParam(COOKIE) String cookie, @HeaderParam(CSRF_HEADER) String csrf,
                                 @PathParam("clientId") String clientId) {
        ApplicationRecord app = owned(changing(cookie, csrf), clientId);
        if (app.clientType() != ApplicationRecord.ClientType.CONFIDENTIAL) {
            throw new PortalException(409, "public_client", "a public client has no secret");
        }
        String secret = RandomTokens.generate(256);
        ApplicationRecord rotated = new ApplicationRecord(app.applicationId(), app.clientId(), app.name(),
                app.clientType(), PasswordHashes.hash(secret), app.owner(), app.createdAt(), app.ownerId(),
                app.grantTypes(), app.redirectUris(), app.dpopRequired());
        writer.put(rotated, () -> registry.application(clientId).map(a -> a.secretHash().equals(rotated.secretHash()))
                .orElse(false));
        LOG.info("event=portal.secret_rotated client={}", clientId);
        return Response.ok(Map.of("clientId", clientId, "clientSecret", secret)).header("Cache-Control", "no-store")
                .build();
    }

    /**
     * Replaces the app's redirect URIs (authorization code flow): {@code {"redirectUris": [...]}}, each checked by
     * {@link RedirectUris#problem} (claimed https, reverse-domain private-use scheme, loopback IP literal).
     */
    @PUT
    @Path("/apps/{clientId}/redirect-uris")
    public Response redirectUris(@CookieParam(COOKIE) String cookie, @HeaderParam(CSRF_HEADER) String csrf,
                                 @PathParam("clientId") String clientId, @Context HttpServletRequest request,
                                 InputStream body) {
        ApplicationRecord app = owned(changing(cookie, csrf), clientId);
        JsonNode list = json(request, body).get("redirectUris");
        if (list == null || !list.isArray()) {
            throw PortalException.badRequest("redirectUris must be an array of strings");
        }
        if (list.size() > RedirectUris.MAX_COUNT) {
            throw PortalException.badRequest("at most " + RedirectUris.MAX_COUNT + " redirect URIs");
        }
        Set<String> uris = new LinkedHashSet<>();
        for (JsonNode item : list) {
            if (!item.isTextual()) {
                throw PortalException.badRequest("redirectUris must be an array of strings");
            }
            String problem = RedirectUris.problem(item.asText()).orElse(null);
            if (problem != null) {
                throw PortalException.badRequest(problem);
            }
            uris.add(item.asText());
        }
        List<String> wanted = List.copyOf(uris);
        ApplicationRecord updated = new ApplicationRecord(app.applicationId(), app.clientId(), app.name(),
                app.clientType(), app.secretHash(), app.owner(), app.createdAt(), app.ownerId(), app.grantTypes(),
                wanted, app.dpopRequired());
        writer.put(updated, () -> registry.application(clientId).map(a -> a.redirectUris().equals(wanted))
                .orElse(false));
        LOG.info("event=portal.redirect_uris_set client={} count={}", clientId, wanted.size());
        return noStore(app(updated));
    }

    /** Replaces the application's grant types (see {@link AppGrants}); answers the application. */
    @PUT
    @Path("/apps/{clientId}/grants")
    public Response changeGrants(@CookieParam(COOKIE) String cookie, @HeaderParam(CSRF_HEADER) String csrf,
                                 @PathParam("clientId") String clientId, @Context HttpServletRequest request,
                                 InputStream body) {
        ApplicationRecord app = owned(changing(cookie, csrf), clientId);
        Set<String> grants = AppGrants.read(json(request, body), "grantTypes", app.clientType(), null);
        ApplicationRecord changed = new ApplicationRecord(app.applicationId(), app.clientId(), app.name(),
                app.clientType(), app.secretHash(), app.owner(), app.createdAt(), app.ownerId(), grants,
                app.redirectUris(), app.dpopRequired());
        writer.put(changed, () -> registry.application(clientId).map(a -> a.grantTypes().equals(grants))
                .orElse(false));
        LOG.info("event=portal.grants_changed client={} grants={}", clientId, new TreeSet<>(grants));
        return noStore(app(changed));
    }

    @POST
    @Path("/apps/{clientId}/subscriptions")
    public Response subscribe(@CookieParam(COOKIE) String cookie, @HeaderParam(CSRF_HEADER) String csrf,
                              @PathParam("clientId") String clientId, @Context HttpServletRequest request,
                              InputStream body) {
        ApplicationRecord app = owned(changing(cookie, csrf), clientId);
        JsonNode json = json(request, body);
        String api = text(json, "api", 100);
        String planId = text(json, "planId", 100);
        PlanRecord plan = registry.plan(planId).filter(p -> p.api().equals(api))
                .orElseThrow(() -> PortalException.badRequest("no plan " + planId + " for API " + api));
        SubscriptionRecord.Status status = plan.requiresApproval() ? SubscriptionRecord.Status.PENDING
                : SubscriptionRecord.Status.APPROVED;
        SubscriptionRecord sub;
        synchronized (subscriptionWrites) {
            // subscribing again is the subscription's next version: a decision reviewed before it no longer applies
            sub = registry.subscription(clientId, api).map(old -> old.next(planId, status, clock.instant()))
                    .orElseGet(() -> new SubscriptionRecord("sub-" + clientId + "-" + api, app.applicationId(),
                            clientId, api, planId, status, clock.instant()));
            writer.put(sub, () -> registry.subscription(clientId, api).filter(sub::equals).isPresent());
        }
        LOG.info("event=portal.subscribed client={} api={} plan={} status={}", clientId, api, planId, status);
        return Response.status(201).entity(subscription(sub)).build();
    }

    @GET
    @Path("/apps/{clientId}/usage")
    public Response usage(@CookieParam(COOKIE) String cookie, @PathParam("clientId") String clientId) {
        ApplicationRecord app = owned(reading(cookie), clientId);
        List<Map.Entry<String, PlanRecord>> plans = new ArrayList<>();
        for (SubscriptionRecord sub : registry.subscriptions(app.clientId())) {
            registry.plan(sub.planId()).ifPresent(p -> plans.add(Map.entry(sub.api(), p)));
        }
        return noStore(usage.read(app.clientId(), plans));
    }

    // ---- admin ---------------------------------------------------------------------------------------------

    @GET
    @Path("/admin/subscriptions")
    public Response adminSubscriptions(@CookieParam(COOKIE) String cookie,
                                       @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                       @QueryParam("status") String status, @Context HttpServletRequest request) {
        admin(cookie, null, authorization, false, request);
        List<Map<String, Object>> subs = registry.allSubscriptions().stream()
                .filter(s -> status == null || status.isBlank() || s.status().name().equalsIgnoreCase(status))
                .sorted(Comparator.comparing(SubscriptionRecord::updatedAt)).map(this::subscription).toList();
        return noStore(Map.of("subscriptions", subs));
    }

    /**
     * An operator's approval or rejection, bound to what the operator reviewed: the body names the plan and the
     * subscription version shown ({@code {"planId": ..., "version": ...}}). If the subscription is no longer that
     * (the developer switched plans, another operator decided), the answer is 409 {@code subscription_changed}
     * and nothing is written. A decision that took effect is an {@code operator.action} on the audit stream.
     */
    @POST
    @Path("/admin/subscriptions/{subscriptionId}/{decision: approve|reject}")
    public Response decide(@CookieParam(COOKIE) String cookie, @HeaderParam(CSRF_HEADER) String csrf,
                           @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @PathParam("subscriptionId") String subscriptionId, @PathParam("decision") String decision,
                           @Context HttpServletRequest request, InputStream body) {
        String who = admin(cookie, csrf, authorization, true, request);
        JsonNode json = json(request, body);
        String planId = text(json, "planId", 100);
        long version = version(json);
        boolean approve = decision.equals("approve");
        SubscriptionRecord.Status status = approve ? SubscriptionRecord.Status.APPROVED
                : SubscriptionRecord.Status.REJECTED;
        SubscriptionRecord changed;
        synchronized (subscriptionWrites) {
            // check and write under one lock: two decisions (or a decision and a plan switch) on this node cannot
            // both pass the check against the same version
            SubscriptionRecord sub = registry.allSubscriptions().stream()
                    .filter(s -> s.subscriptionId().equals(subscriptionId)).findFirst()
                    .orElseThrow(PortalException::notFound);
            if (!sub.planId().equals(planId) || sub.version() != version) {
                // the reviewed plan id is the caller's text: not logged (log forging), the version is a number
                LOG.info("event=portal.subscription_decision_refused subscription={} operator={} reviewed_version={} "
                        + "plan={} version={}", subscriptionId, who, version, sub.planId(), sub.version());
                throw new PortalException(409, "subscription_changed", "the subscription changed since it was "
                        + "reviewed: it is now plan " + sub.planId() + " at version " + sub.version()
                        + " (status " + sub.status() + "); review it again");
            }
            SubscriptionRecord written = sub.next(planId, status, clock.instant());
            writer.put(written, () -> registry.subscription(sub.clientId(), sub.api()).filter(written::equals)
                    .isPresent());
            changed = written;
            audit.record(OperatorAction.decision(who, approve, sub, request.getRemoteAddr()));
        }
        LOG.info("event=portal.subscription_{} subscription={} operator={} plan={} version={}", decision,
                subscriptionId, who, changed.planId(), changed.version());
        return noStore(subscription(changed));
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /**
     * The operator: by HTTP Basic (counted per client address in token-api's brute-force guard, exactly as on
     * {@code /admin}, and answered with the same 401 and challenge) or by an admin portal session. A change always
     * needs a live session and its CSRF token, Basic or not: a browser sends cached Basic credentials with a
     * cross-site form post, but the attacker's page cannot read the session's CSRF token.
     */
    private String admin(String cookie, String csrf, String authorization, boolean changing,
                         HttpServletRequest request) {
        if (authorization != null) {
            String operator = operators.authenticate(authorization, request.getRemoteAddr())
                    .orElseThrow(PortalException::operatorUnauthorized);
            if (changing && !sessions.find(cookie).map(s -> s.csrfMatches(csrf)).orElse(false)) {
                throw PortalException.csrf();
            }
            return operator;
        }
        PortalSessions.Session s = changing ? changing(cookie, csrf) : reading(cookie);
        if (!s.admin()) {
            throw new PortalException(403, "forbidden", "operators only");
        }
        return s.email();
    }

    private PortalSessions.Session reading(String cookie) {
        return sessions.find(cookie).orElseThrow(PortalException::unauthorized);
    }

    /** A state-changing call: a live session and its CSRF token in {@code X-CSRF-Token}. */
    private PortalSessions.Session changing(String cookie, String csrf) {
        PortalSessions.Session s = reading(cookie);
        if (!s.csrfMatches(csrf)) {
            throw PortalException.csrf();
        }
        return s;
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

    private Map<String, Object> sessionBody(PortalSessions.Session s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("email", s.email());
        m.put("admin", s.admin());
        m.put("csrfToken", s.csrf());
        return m;
    }

    private Response withSession(Response.ResponseBuilder b, PortalSessions.Session s, HttpServletRequest request) {
        return b.header("Set-Cookie", cookie(s.id(), sessions.ttl().toSeconds(), request))
                .header("Cache-Control", "no-store").entity(sessionBody(s)).build();
    }

    static String cookie(String value, long maxAge, HttpServletRequest request) {
        return COOKIE + "=" + value + "; Path=/portal; Max-Age=" + maxAge + "; HttpOnly; SameSite=Strict"
                + (request.isSecure() ? "; Secure" : "");
    }

    private static Response noStore(Object entity) {
        return Response.ok(entity).header("Cache-Control", "no-store").build();
    }

    private Map<String, Object> app(ApplicationRecord a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clientId", a.clientId());
        m.put("applicationId", a.applicationId());
        m.put("name", a.name());
        m.put("type", a.clientType().name().toLowerCase(Locale.ROOT));
        m.put("createdAt", a.createdAt().toString());
        m.put("redirectUris", a.redirectUris());
        m.put("grantTypes", new TreeSet<>(a.grantTypes()));
        m.put("subscriptions", registry.subscriptions(a.clientId()).stream()
                .sorted(Comparator.comparing(SubscriptionRecord::api)).map(sub -> {
                    Map<String, Object> view = subscription(sub);
                    // what the app may really use there: its grants that the plan allows too
                    Set<String> usable = new TreeSet<>(a.grantTypes());
                    usable.retainAll(registry.plan(sub.planId()).map(PlanRecord::grantTypes).orElse(Set.of()));
                    view.put("usableGrantTypes", usable);
                    return view;
                }).toList());
        return m;
    }

    private Map<String, Object> subscription(SubscriptionRecord s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subscriptionId", s.subscriptionId());
        m.put("clientId", s.clientId());
        m.put("api", s.api());
        m.put("planId", s.planId());
        m.put("status", s.status().name());
        m.put("updatedAt", s.updatedAt().toString());
        m.put("version", s.version());
        return m;
    }

    private static Map<String, Object> plan(PlanRecord p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("planId", p.planId());
        m.put("api", p.api());
        m.put("name", p.name());
        m.put("scopes", p.scopes().stream().sorted().toList());
        m.put("callsPerMinute", p.callsPerMinute());
        m.put("callsPerHour", p.callsPerHour());
        m.put("callsPerDay", p.callsPerDay());
        m.put("appCallsPerMinute", p.appCallsPerMinute());
        m.put("monthlyQuota", p.monthlyQuota());
        m.put("maxDevices", p.maxDevices());
        m.put("requiresApproval", p.requiresApproval());
        m.put("refreshReuseSeconds", p.refreshReuseSeconds());
        m.put("sessionLifetimeSeconds", p.sessionLifetimeSeconds());
        m.put("grantTypes", new TreeSet<>(p.grantTypes()));
        return m;
    }

    private JsonNode json(HttpServletRequest request, InputStream in) {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            // JSON only: a cross-site HTML form cannot send it without a CORS preflight.
            throw new PortalException(415, "invalid_request", "the body must be application/json");
        }
        byte[] bytes;
        try {
            bytes = FormParser.readLimited(in, MAX_BODY);
        } catch (RuntimeException e) {
            throw PortalException.badRequest("the body is too large");
        }
        try {
            JsonNode node = mapper.readTree(new String(bytes, StandardCharsets.UTF_8));
            if (node == null || !node.isObject()) {
                throw PortalException.badRequest("the body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw PortalException.badRequest("the body is not valid JSON");
        }
    }

    private static String text(JsonNode json, String field, int max) {
        JsonNode v = json.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw PortalException.badRequest(field + " is required");
        }
        if (v.asText().length() > max) {
            throw PortalException.badRequest(field + " is too long");
        }
        return v.asText();
    }

    /** The reviewed subscription version: a whole JSON number, 0 or more (records from before versions are 0). */
    private static long version(JsonNode json) {
        JsonNode v = json.get("version");
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw PortalException.badRequest("version is required: the subscription version that was reviewed");
        }
        return v.asLong();
    }

    private static String email(String raw) {
        String email = raw.trim().toLowerCase(Locale.ROOT);
        if (!EMAIL.matcher(email).matches()) {
            throw PortalException.badRequest("invalid e-mail address");
        }
        return email;
    }
}
