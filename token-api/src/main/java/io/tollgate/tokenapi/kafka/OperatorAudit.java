package io.tollgate.tokenapi.kafka;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.tollgate.shared.admin.OperatorTaskFilter;
import io.tollgate.shared.events.OperatorAction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts every operator action that took effect on the audit stream ({@code tollgate.auth-events}) as an
 * {@code operator.action} CloudEvent naming the operator. It is recorded after the action: the action stands
 * whatever happens to its record, so a record the producer cannot take is counted
 * ({@code tollgate.operators.audit-lost}) and its fields go to the log at ERROR instead of being dropped silently.
 */
public final class OperatorAudit implements OperatorTaskFilter.TaskAudit {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorAudit.class);

    private final AuthEventPublisher events;
    private final Meter lost;

    public OperatorAudit(AuthEventPublisher events, MetricRegistry metrics) {
        this.events = events;
        this.lost = metrics.meter("tollgate.operators.audit-lost");
    }

    public void record(OperatorAction action) {
        try {
            events.emit(action);
        } catch (RuntimeException e) {
            lost.mark();
            LOG.error("event=audit.operator_action_lost operator={} action={} target={} client={} plan={} version={} "
                            + "address={} error={}", action.operator(), action.action(), action.target(),
                    action.clientId(), action.planId(), action.version(), action.ip(), e.getClass().getSimpleName());
        }
    }

    /** An admin-port task ({@code POST /tasks/*}, {@code /pprof}) an operator ran. */
    @Override
    public void taskRun(String operator, String method, String path, String address) {
        record(new OperatorAction(operator, OperatorAction.Action.ADMIN_TASK, method + " " + path, null, null, null,
                null, null, null, address));
    }
}
