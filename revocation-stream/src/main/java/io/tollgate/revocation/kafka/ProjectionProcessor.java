package io.tollgate.revocation.kafka;

import io.tollgate.revocation.core.ProjectionApplier;
import io.tollgate.revocation.core.RedisRetry;
import io.tollgate.shared.events.Event;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;

/** Projects each revocation, decision or family event into Redis, pausing (retrying) while Redis is down. */
final class ProjectionProcessor implements Processor<String, Event<?>, Void, Void> {
    private final ProjectionApplier applier;
    private final RedisRetry retry;

    ProjectionProcessor(ProjectionApplier applier, RedisRetry retry) {
        this.applier = applier;
        this.retry = retry;
    }

    @Override
    public void process(Record<String, Event<?>> record) {
        retry.call(() -> applier.apply(record.value()));
    }
}
