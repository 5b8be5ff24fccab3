package io.tollgate.shared.admin;

import io.tollgate.shared.auth.BasicAccounts;
import io.tollgate.shared.auth.BasicAuthenticator;
import io.tollgate.shared.json.Json;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lets a request through to the admin tasks only with HTTP Basic credentials of a configured operator account,
 * like Keycloak's and Kong's admin APIs: missing or wrong credentials are 401 with the {@code tollgate-admin}
 * challenge, an address locked after too many wrong passwords is 429 (no password is hashed for it), and with
 * no operator account configured every task is refused (403) rather than left open. Every answer is a JSON
 * {@code {"error", "error_description"}}. Refusals are logged with the path and client address, and the name
 * only when it is a configured account (a name typed by mistake may be a password); never a password.
 */
public final class OperatorTaskFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorTaskFilter.class);
    static final String NO_OPERATORS = "admin tasks are disabled: no operator accounts are configured (add `operators:`"
            + " entries with name and passwordHash to this service's configuration)";

    private final BasicAuthenticator operators;
    private final TaskAudit audit;

    /** Told of every task an operator ran, after it ran: token-api puts it on the audit stream. */
    @FunctionalInterface
    public interface TaskAudit {
        TaskAudit NONE = (operator, method, path, address) -> { };

        void taskRun(String operator, String method, String path, String address);
    }

    public OperatorTaskFilter(BasicAuthenticator operators) {
        this(operators, TaskAudit.NONE);
    }

    public OperatorTaskFilter(BasicAuthenticator operators, TaskAudit audit) {
        this.operators = operators;
        this.audit = audit;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String path = request.getRequestURI();
        String address = request.getRemoteAddr();
        if (operators.isEmpty()) {
            LOG.warn("event=admin.task_refused reason=no_operators path={} address={}", path, address);
            refuse(response, 403, "forbidden", NO_OPERATORS);
            return;
        }
        BasicAccounts.Check check;
        try {
            check = operators.check(request.getHeader("Authorization"), address);
        } catch (RuntimeException e) {
            // e.g. token-api's lockout counters in Redis unreachable: refuse rather than let it through
            LOG.warn("event=admin.task_refused reason=check_failed path={} address={} error=\"{}\"", path, address,
                    e.toString());
            refuse(response, 503, "temporarily_unavailable", "operator credentials cannot be checked now; retry");
            return;
        }
        switch (check.result()) {
            case AUTHENTICATED -> {
                LOG.info("event=admin.task operator={} method={} path={} address={}", check.name(),
                        request.getMethod(), path, address);
                chain.doFilter(req, res);
                audit.taskRun(check.name(), request.getMethod(), path, address);
            }
            case ABSENT -> {
                LOG.warn("event=admin.task_refused reason=no_credentials path={} address={}", path, address);
                response.setHeader("WWW-Authenticate", BasicAccounts.OPERATOR_CHALLENGE);
                refuse(response, 401, "unauthorized", "operator authentication required (HTTP Basic)");
            }
            case WRONG -> {
                LOG.warn("event=admin.task_refused reason=wrong_credentials operator={} path={} address={}",
                        check.name() == null ? "-" : check.name(), path, address);
                response.setHeader("WWW-Authenticate", BasicAccounts.OPERATOR_CHALLENGE);
                refuse(response, 401, "unauthorized", "wrong operator name or password");
            }
            case LOCKED -> {
                long seconds = Math.max(1, (check.retryAfter().toMillis() + 999) / 1000);
                LOG.warn("event=admin.task_refused reason=address_locked path={} address={} retry_after_s={}",
                        path, address, seconds);
                response.setHeader("Retry-After", Long.toString(seconds));
                refuse(response, 429, "too_many_attempts",
                        "too many wrong operator passwords from this address; retry in " + seconds + " s");
            }
        }
    }

    private static void refuse(HttpServletResponse response, int status, String error, String description)
            throws IOException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        byte[] bytes = Json.mapper().writeValueAsBytes(body);
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json;charset=UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
