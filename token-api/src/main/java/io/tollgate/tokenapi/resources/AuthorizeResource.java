package io.tollgate.tokenapi.resources;

import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.registry.RegistryView;
import io.tollgate.tokenapi.api.OAuthError;
import io.tollgate.tokenapi.api.OAuthException;
import io.tollgate.tokenapi.core.AuthorizationCodeGrant;
import io.tollgate.tokenapi.core.ClientGrants;
import io.tollgate.tokenapi.core.Entitlements;
import io.tollgate.tokenapi.core.FormParser;
import io.tollgate.tokenapi.core.GrantFailures;
import io.tollgate.tokenapi.core.PasswordLogin;
import io.tollgate.tokenapi.core.Pkce;
import io.tollgate.tokenapi.core.RedirectUris;
import io.tollgate.tokenapi.core.ResourceIndicators;
import io.tollgate.tokenapi.core.ScopePolicy;
import io.tollgate.tokenapi.core.TokenService;
import io.tollgate.tokenapi.redis.AuthorizationCodes;
import io.tollgate.tokenapi.redis.PendingAuthorizations;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /oauth2/authorize}: the authorization endpoint of the code flow (RFC 6749 §4.1, RFC 7636 S256, RFC 8252,
 * RFC 9207). {@code GET} validates the request and shows the hosted login page; the page's form posts back here with
 * the user's credentials and the id of the pending request (the request itself stays server-side, so the form cannot
 * alter it). A right password answers 303 to the registered redirect URI with {@code code}, {@code state} and
 * {@code iss}.
 *
 * <p>An unknown {@code client_id} or a {@code redirect_uri} not registered for it answers an HTML error page (400),
 * never a redirect; every other error is a 303 to the redirect URI with {@code error}, {@code error_description},
 * {@code state} and {@code iss} (RFC 6749 §4.1.2.1). Wrong credentials (unknown user, wrong password, locked) show the
 * page again saying only "invalid username or password"; a user whose standing refuses them (blocked by an operator,
 * denied by policy) sees the page again (403) saying this account cannot sign in, the request still open for another
 * account; a user refused by entitlement is {@code access_denied}.
 */
@Path("/oauth2/authorize")
public class AuthorizeResource {
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizeResource.class);
    private static final String GRANT = AuthorizationCodeGrant.GRANT_TYPE;
    static final String ACCOUNT_REFUSED_PAGE = "This account cannot sign in.";
    private static final List<String> SINGLE = List.of("response_type", "client_id", "redirect_uri", "state", "scope",
            "code_challenge", "code_challenge_method");

    private final RegistryView registry;
    private final ClientGrants grants;
    private final PasswordLogin logins;
    private final PendingAuthorizations pending;
    private final AuthorizationCodes codes;
    private final String issuer;
    private final long maxBodyBytes;

    public AuthorizeResource(RegistryView registry, ClientGrants grants, PasswordLogin logins,
                             PendingAuthorizations pending, AuthorizationCodes codes, String issuer,
                             long maxBodyBytes) {
        this.registry = registry;
        this.grants = grants;
        this.logins = logins;
        this.pending = pending;
        this.codes = codes;
        this.issuer = issuer;
        this.maxBodyBytes = maxBodyBytes;
    }

    @GET
    public Response authorize(@Context UriInfo uri) {
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        String clientId = query.getFirst("client_id");
        Optional<ApplicationRecord> app = clientId == null ? Optional.empty() : registry.application(clientId);
        if (app.isEmpty() || query.get("client_id").size() > 1) {
            return errorPage("The application is unknown (client_id).");
        }
        String redirectUri = query.getFirst("redirect_uri");
        if (redirectUri == null || query.get("redirect_uri").size() > 1
                || !RedirectUris.matches(app.get().redirectUris(), redirectUri)) {
            return errorPage("The redirect_uri is not registered for this application.");
        }
        String state = query.getFirst("state");
        Redirect back = new Redirect(redirectUri, state);
        for (String name : SINGLE) {
            if (query.containsKey(name) && query.get(name).size() > 1) {
                return back.error("invalid_request", name + " must be sent once");
            }
        }
        String responseType = query.getFirst("response_type");
        if (responseType == null) {
            return back.error("invalid_request", "response_type is required");
        }
        if (!responseType.equals("code")) {
            return back.error("unsupported_response_type", "only response_type=code is supported");
        }
        String challenge = query.getFirst("code_challenge");
        if (challenge == null) {
            return back.error("invalid_request", "code_challenge is required (PKCE, S256)");
        }
        if (!Pkce.S256.equals(query.getFirst("code_challenge_method"))) {
            return back.error("invalid_request", "code_challenge_method must be S256");
        }
        if (!Pkce.isChallenge(challenge)) {
            return back.error("invalid_request", "code_challenge must be the base64url SHA-256 of the verifier");
        }
        String scope = query.getFirst("scope");
        List<String> resourceValues = query.getOrDefault(TokenService.RESOURCE, List.of());
        try {
            List<Entitlements.Usable> usable = usable(app.get());
            Set<String> requested = ScopePolicy.parse(scope);
            if (requested != null && ScopePolicy.grant(requested, offeredScopes(usable)).isEmpty()) {
                throw new OAuthException(OAuthError.INVALID_SCOPE, "none of the requested scopes can be granted");
            }
            Set<String> resources = ResourceIndicators.parse(resourceValues);
            if (resources != null) {
                ResourceIndicators.requireAmong(resources, ResourceIndicators.offered(usable));
            }
            String id = pending.create(new PendingAuthorizations.Request(app.get().clientId(), redirectUri, state,
                    challenge, scope, resources == null ? null : List.copyOf(resources)));
            return page(200, LoginPage.login(app.get().name(), id, null, null), redirectUri);
        } catch (OAuthException e) {
            return back.error(e.error().code(), e.description());
        }
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response login(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                          @Context HttpServletRequest http, InputStream body) {
        Map<String, String> form;
        try {
            FormParser.requireFormContentType(contentType);
            form = FormParser.parse(FormParser.readLimited(body, maxBodyBytes));
        } catch (OAuthException e) {
            return errorPage("The sign-in form could not be read.");
        }
        String id = form.get("request");
        Optional<PendingAuthorizations.Request> found = pending.find(id);
        if (found.isEmpty()) {
            return errorPage("This sign-in has expired or was already completed. Start again from the application.");
        }
        PendingAuthorizations.Request request = found.get();
        Optional<ApplicationRecord> app = registry.application(request.clientId());
        if (app.isEmpty() || !RedirectUris.matches(app.get().redirectUris(), request.redirectUri())) {
            pending.take(id);
            return errorPage("The application is no longer registered for this sign-in.");
        }
        Redirect back = new Redirect(request.redirectUri(), request.state());
        String username = form.get("username");
        String password = form.get("password");
        if (username == null || password == null || username.isBlank() || password.isEmpty()) {
            return page(200, LoginPage.login(app.get().name(), id, username, "Enter your username and password."),
                    request.redirectUri());
        }
        String ip = http.getRemoteAddr();
        PasswordLogin.Success login;
        try {
            List<Entitlements.Usable> usable = usable(app.get());
            Set<String> resources = request.resources() == null ? null : Set.copyOf(request.resources());
            login = logins.check(app.get(), GRANT, username, password, usable, ScopePolicy.parse(request.scope()),
                    resources, ip);
        } catch (OAuthException e) {
            return refused(e, app.get(), id, username, back, request.redirectUri());
        }
        if (pending.take(id).isEmpty()) {
            return errorPage("This sign-in was already completed. Start again from the application.");
        }
        String code = codes.issue(new AuthorizationCodes.Grant(app.get().clientId(), request.redirectUri(),
                request.codeChallenge(), login.user(), login.groups(), ScopePolicy.format(login.scope()),
                request.resources(), Instant.now().getEpochSecond()));
        LOG.info("event=authorization_code.issued user={} client={}", login.user(), app.get().clientId());
        Map<String, String> params = new LinkedHashMap<>();
        params.put("code", code);
        return back.with(params);
    }

    private Response refused(OAuthException e, ApplicationRecord app, String id, String username, Redirect back,
                             String redirectUri) {
        if (e.error() == OAuthError.INVALID_GRANT && PasswordLogin.BAD_CREDENTIALS.equals(e.description())) {
            return page(200, LoginPage.login(app.name(), id, username, PasswordLogin.BAD_CREDENTIALS), redirectUri);
        }
        if (e.error() == OAuthError.INVALID_GRANT && GrantFailures.ACCOUNT_REFUSED.equals(e.description())) {
            // a blocked or policy-denied user: told on the page, and the request stays open for another account
            return page(403, LoginPage.login(app.name(), id, username, ACCOUNT_REFUSED_PAGE), redirectUri);
        }
        if (e.error() == OAuthError.TEMPORARILY_UNAVAILABLE) {
            return page(503, LoginPage.login(app.name(), id, username,
                    "Sign-in is unavailable right now, try again in a moment."), redirectUri);
        }
        pending.take(id);
        return switch (e.error()) {
            case INVALID_GRANT -> back.error("access_denied", e.description());
            case INVALID_SCOPE, INVALID_TARGET, UNAUTHORIZED_CLIENT -> back.error(e.error().code(), e.description());
            default -> back.error("server_error", "the sign-in could not be completed");
        };
    }

    /** The client's usable subscriptions for this grant; unauthorized_client unless the app and a plan allow it. */
    private List<Entitlements.Usable> usable(ApplicationRecord app) {
        return grants.usable(app, GRANT);
    }

    private static Set<String> offeredScopes(List<Entitlements.Usable> usable) {
        Set<String> out = new java.util.HashSet<>();
        usable.forEach(u -> out.addAll(u.plan().scopes()));
        return out;
    }

    private Response errorPage(String message) {
        return page(400, LoginPage.error(message), null);
    }

    /**
     * An HTML answer with the page's headers. The form may only post here, and the answer to the post is a redirect
     * to {@code redirectUri}: Chromium checks {@code form-action} on that redirect too, so its origin is allowed.
     */
    private static Response page(int status, String html, String redirectUri) {
        String formAction = "'self'" + (redirectUri == null ? "" : " " + source(redirectUri));
        return noStore(Response.status(status))
                .type("text/html; charset=utf-8")
                .header("Content-Security-Policy", "default-src 'none'; style-src " + LoginPage.STYLE_HASH
                        + "; form-action " + formAction + "; frame-ancestors 'none'; base-uri 'none'")
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                .entity(html)
                .build();
    }

    /** The CSP source expression of a registered redirect URI: its scheme (private-use) or origin (any loopback port). */
    static String source(String redirectUri) {
        URI uri = URI.create(redirectUri);
        String scheme = uri.getScheme();
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return scheme + ":";
        }
        if (scheme.equals("http")) {
            return "http://" + uri.getHost() + ":*";
        }
        return "https://" + uri.getRawAuthority();
    }

    private static Response.ResponseBuilder noStore(Response.ResponseBuilder builder) {
        return Responses.noStore(builder).header("Referrer-Policy", "no-referrer");
    }

    /** Answers sent back to the client's redirect URI, each with {@code state} and {@code iss} (RFC 9207). */
    private final class Redirect {
        private final String redirectUri;
        private final String state;

        Redirect(String redirectUri, String state) {
            this.redirectUri = redirectUri;
            this.state = state;
        }

        Response error(String error, String description) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("error", error);
            params.put("error_description", description);
            return with(params);
        }

        Response with(Map<String, String> params) {
            Map<String, String> all = new LinkedHashMap<>(params);
            if (state != null) {
                all.put("state", state);
            }
            all.put("iss", issuer);
            List<String> pairs = new ArrayList<>();
            all.forEach((k, v) -> pairs.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
            String location = redirectUri + (redirectUri.indexOf('?') >= 0 ? "&" : "?") + String.join("&", pairs);
            return noStore(Response.status(Response.Status.SEE_OTHER)).header(HttpHeaders.LOCATION, location).build();
        }
    }
}
