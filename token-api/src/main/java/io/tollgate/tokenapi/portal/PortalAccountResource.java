package io.tollgate.tokenapi.portal;

import io.dropwizard.auth.Auth;
import io.tollgate.shared.events.OperatorAction;
import io.tollgate.tokenapi.api.portal.Login;
import io.tollgate.tokenapi.api.portal.Signup;
import io.tollgate.tokenapi.api.portal.Verification;
import io.tollgate.tokenapi.kafka.OperatorAudit;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The developer portal's accounts under {@code /portal/api} (contract: {@code portal/openapi.yaml}): sign-up and
 * its verification, log-in (developers and operators alike) and log-out, and the session (cookie + CSRF
 * synchronizer token).
 */
@Path("/portal/api")
@Produces(MediaType.APPLICATION_JSON)
public class PortalAccountResource {
    private static final Logger LOG = LoggerFactory.getLogger(PortalAccountResource.class);
    private static final Pattern EMAIL = Pattern.compile("[a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,190}\\.[a-z]{2,24}");

    private final PortalSessions sessions;
    private final LoginThrottle throttle;
    private final DeveloperAccounts accounts;
    private final OperatorAudit audit;

    public PortalAccountResource(PortalSessions sessions, LoginThrottle throttle, DeveloperAccounts accounts,
                                 OperatorAudit audit) {
        this.sessions = sessions;
        this.throttle = throttle;
        this.accounts = accounts;
        this.audit = audit;
    }

    /**
     * Starts a sign-up: 202 and the same body whether the address is new or taken (a mail goes out either way);
     * the account exists once the link in the mail is opened ({@link #verify}).
     */
    @POST
    @Path("/signup")
    @JsonBody
    public Response signup(@Context HttpServletRequest request, @NotNull @Valid Signup body) {
        String email = body.email().trim().toLowerCase(Locale.ROOT);
        if (!EMAIL.matcher(email).matches()) {
            throw PortalException.badRequest("invalid e-mail address");
        }
        if (body.password().length() < Signup.MIN_PASSWORD) {
            throw PortalException.badRequest("the password needs at least " + Signup.MIN_PASSWORD + " characters");
        }
        accounts.signup(email, body.password(), request.getRemoteAddr());
        return Response.status(202).header("Cache-Control", "no-store").entity(Map.of("status", "verification_sent"))
                .build();
    }

    /** Opens the link of a sign-up mail: the token from it and the password chosen at sign-up; logs the account in. */
    @POST
    @Path("/verify")
    @JsonBody
    public Response verify(@Context HttpServletRequest request, @NotNull @Valid Verification body) {
        DeveloperAccounts.Entrant who = accounts.verify(body.token(), body.password(), request.getRemoteAddr());
        return withSession(sessions.create(who.email(), who.developerId(), false), request);
    }

    @POST
    @Path("/login")
    @JsonBody
    public Response login(@Context HttpServletRequest request, @NotNull @Valid Login body) {
        String email = body.email().trim().toLowerCase(Locale.ROOT);
        String ip = request.getRemoteAddr();
        throttle.check(email, ip);
        DeveloperAccounts.Entrant who = accounts.login(email, body.password(), ip);
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
        return withSession(sessions.create(who.email(), who.developerId(), who.admin()), request);
    }

    @POST
    @Path("/logout")
    public Response logout(@Auth PortalSessions.Session session, @Context HttpServletRequest request) {
        sessions.delete(session.id());
        return Response.noContent().header("Set-Cookie", cookie("", 0, request)).build();
    }

    @GET
    @Path("/session")
    public Response session(@Auth PortalSessions.Session session) {
        return PortalViews.noStore(PortalViews.session(session));
    }

    private Response withSession(PortalSessions.Session s, HttpServletRequest request) {
        return Response.ok().header("Set-Cookie", cookie(s.id(), sessions.ttl().toSeconds(), request))
                .header("Cache-Control", "no-store").entity(PortalViews.session(s)).build();
    }

    private static String cookie(String value, long maxAge, HttpServletRequest request) {
        return PortalSessionAuthenticator.COOKIE + "=" + value + "; Path=/portal; Max-Age=" + maxAge
                + "; HttpOnly; SameSite=Strict" + (request.isSecure() ? "; Secure" : "");
    }
}
