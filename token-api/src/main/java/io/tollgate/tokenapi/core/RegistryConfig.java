package io.tollgate.tokenapi.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.shared.declarative.DeclarativeConfig;
import io.tollgate.shared.events.ApiRecord;
import io.tollgate.shared.events.EventData;
import io.tollgate.shared.events.OperatorAction;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.registry.RegistryView;
import io.tollgate.tokenapi.api.ConfigChange;
import io.tollgate.tokenapi.kafka.OperatorAudit;
import io.tollgate.tokenapi.portal.PortalException;
import io.tollgate.tokenapi.portal.RegistryWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The registry's APIs and plans as a declarative configuration: {@link #current()} reads them from the view,
 * {@link #diff} compares a configuration with them, {@link #apply} writes the difference to {@code tollgate.registry}
 * ({@link ApiRecord} and {@link PlanRecord} records, tombstones for what the configuration no longer has), waits until
 * this node's view shows each write, and records each change as an {@code operator.action} naming the operator.
 * Applies on one node run one at a time, so two operators' files do not interleave there.
 */
public final class RegistryConfig {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryConfig.class);
    private final RegistryView view;
    private final RegistryWriter writer;
    private final OperatorAudit audit;

    public RegistryConfig(RegistryView view, RegistryWriter writer, OperatorAudit audit) {
        this.view = view;
        this.writer = writer;
        this.audit = audit;
    }

    /** The registry's APIs and plans; 503 while the view has not caught up (a diff against it would be wrong). */
    public DeclarativeConfig current() {
        if (!view.isReady()) {
            throw new PortalException(503, "temporarily_unavailable", "the registry view is not ready");
        }
        return DeclarativeConfig.of(view.apis(), view.plans());
    }

    public List<ConfigChange> diff(DeclarativeConfig desired) {
        return ConfigDiff.between(current(), desired);
    }

    /** Writes what differs (nothing when nothing does) and returns the changes made, in the order they were made. */
    public synchronized List<ConfigChange> apply(DeclarativeConfig desired, String operator, String address) {
        List<ConfigChange> changes = diff(desired);
        for (ConfigChange change : changes) {
            String key;
            if (change.kind().equals(ConfigChange.API)) {
                key = ApiRecord.key(change.name());
                write(change, key, view::api, DeclarativeConfig::api);
            } else {
                key = PlanRecord.key(change.name());
                write(change, key, view::plan, DeclarativeConfig::plan);
            }
            LOG.info("event=config.applied operator={} key={} change={}", operator, key, change.change());
            audit.record(new OperatorAction(operator, OperatorAction.Action.REGISTRY_CHANGED, key, null, null,
                    change.kind().equals(ConfigChange.API) ? change.name() : change.after() != null
                            ? change.after().path("api").asText() : change.before().path("api").asText(),
                    change.kind().equals(ConfigChange.PLAN) ? change.name() : null, null, change.change(), address));
        }
        return changes;
    }

    /**
     * Writes one change to the record under {@code key}: a tombstone when the change deletes it, else the record
     * {@code parse} makes of {@code change.after()}; then waits until this node's view ({@code read} by name) shows it.
     */
    private <T extends EventData> void write(ConfigChange change, String key, Function<String, Optional<T>> read,
                                             Function<JsonNode, T> parse) {
        if (change.change().equals(ConfigChange.DELETED)) {
            writer.delete(key);
            writer.await(() -> read.apply(change.name()).isEmpty(), key);
        } else {
            T record = parse.apply(change.after());
            writer.put(record, () -> read.apply(change.name()).filter(record::equals).isPresent());
        }
    }
}
