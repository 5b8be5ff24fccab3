package io.tollgate.tokenapi.kafka;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.tollgate.shared.auth.BasicAccounts;
import io.tollgate.shared.events.LoginFailed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts every wrong operator or resource-server password on the audit stream, where security teams read the
 * failed logins: a {@code login.failed} whose {@code grantType} names the kind of account ({@code operator},
 * {@code resource_server}), {@code userId} the configured account or {@code -} for a name that is no account
 * (it may be a password typed in the wrong field), no client, and the client address. Auditing never changes
 * the answer: with Kafka unavailable the 401 stands, the event is counted as lost and logged.
 */
public final class AccountAudit implements BasicAccounts.WrongPasswords {
    private static final Logger LOG = LoggerFactory.getLogger(AccountAudit.class);
    /** The {@code userId} of a failure whose name is no configured account. */
    public static final String UNKNOWN_ACCOUNT = "-";

    private final AuthEventPublisher events;
    private final String kind;
    private final Meter wrong;

    public AccountAudit(AuthEventPublisher events, String kind, MetricRegistry metrics) {
        this.events = events;
        this.kind = kind;
        this.wrong = metrics.meter("tollgate.accounts." + kind + ".wrong-password");
    }

    @Override
    public void wrongPassword(String account, String address) {
        wrong.mark();
        try {
            events.emit(new LoginFailed(account == null ? UNKNOWN_ACCOUNT : account, null, kind,
                    LoginFailed.Reason.INVALID_CREDENTIALS, address));
        } catch (RuntimeException e) {
            LOG.warn("event=audit.account_failure_lost kind={} account={} address={} error={}", kind,
                    account == null ? UNKNOWN_ACCOUNT : account, address, e.getClass().getSimpleName());
        }
    }
}
