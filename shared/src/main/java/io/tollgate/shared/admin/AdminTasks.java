package io.tollgate.shared.admin;

import io.dropwizard.core.setup.Environment;
import io.tollgate.shared.auth.Account;
import io.tollgate.shared.auth.BasicAccounts;
import io.tollgate.shared.auth.BasicAuthenticator;
import io.tollgate.shared.auth.LockoutPolicy;
import io.tollgate.shared.auth.SecretVerifier;
import jakarta.servlet.DispatcherType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

/**
 * Puts the admin connector's tasks ({@code POST /tasks/*}: Dropwizard's gc, log-level, log-filter and a service's
 * own, e.g. revocation-stream's rebuild-projection) and the on-demand CPU profiler ({@code /pprof}, which burns
 * CPU for as long as it is asked to) behind operator HTTP Basic ({@link OperatorTaskFilter}). The admin port is
 * reachable wherever Prometheus scrapes it, and a task changes what the service does. What scrapers and probes
 * read stays open, as on Keycloak's management interface: {@code /metrics}, {@code /prometheus},
 * {@code /healthcheck}, {@code /ping}, {@code /threads}.
 */
public final class AdminTasks {
    /** Wrong passwords from one address before it is locked (as token-api's {@code lockout.ipFailures}). */
    public static final int LOCK_AFTER = 10;
    /** The first lock's length; each further wrong password doubles it, up to {@link #MAX_LOCK}. */
    public static final Duration FIRST_LOCK = Duration.ofSeconds(60);
    public static final Duration MAX_LOCK = Duration.ofMinutes(15);
    /** How long wrong passwords are remembered. */
    public static final Duration FAILURE_WINDOW = Duration.ofHours(12);
    static final int MAX_ADDRESSES = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(AdminTasks.class);

    private AdminTasks() {
    }

    /**
     * Requires one of {@code operators} on every task, wrong passwords counted per address in this node's memory
     * ({@link AddressLockout}). Call from {@code Application.run}.
     */
    public static void requireOperators(Environment environment, List<Account> operators) {
        requireOperators(environment, new BasicAccounts(operators, new SecretVerifier(), new AddressLockout(
                new LockoutPolicy(LOCK_AFTER, FIRST_LOCK, MAX_LOCK), FAILURE_WINDOW, MAX_ADDRESSES, Clock.systemUTC())));
    }

    /** As {@link #requireOperators(Environment, List)} with accounts of the caller's (token-api: its Redis lockout). */
    public static void requireOperators(Environment environment, BasicAuthenticator operators) {
        requireOperators(environment, operators, OperatorTaskFilter.TaskAudit.NONE);
    }

    /** As {@link #requireOperators(Environment, BasicAuthenticator)}, telling {@code audit} of every task an operator ran. */
    public static void requireOperators(Environment environment, BasicAuthenticator operators,
                                        OperatorTaskFilter.TaskAudit audit) {
        if (operators.isEmpty()) {
            LOG.warn("event=admin.tasks_disabled reason=no_operators: every POST /tasks/* is refused until "
                    + "operator accounts are configured (operators: name + passwordHash)");
        }
        environment.admin().addFilter("operator-tasks", new OperatorTaskFilter(operators, audit))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/tasks/*", "/pprof/*");
    }
}
