package io.tollgate.revocation.kafka;

import io.tollgate.revocation.core.ProjectionApplier;
import io.tollgate.revocation.core.PropagationDelay;
import io.tollgate.revocation.core.RedisRetry;
import io.tollgate.shared.events.Event;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Projects each revocation, decision or family event into Redis, pausing (retrying) while Redis is down, and
 * records how long each written revocation took to get there (the retries included: an outage delays it).
 */
final class ProjectionProcessor implements Processor<String, Event<?>, Void, Void> {
    private final ProjectionApplier applier;
    private final RedisRetry retry;
    private final PropagationDelay delay;

    ProjectionProcessor(ProjectionApplier applier, RedisRetry retry, PropagationDelay delay) {
        this.applier = applier;
        this.retry = retry;
        this.delay = delay;
    }

    @Override
    public void process(Record<String, Event<?>> record) {
        Event<?> event = record.value();
        if (retry.call(() -> applier.apply(event))) {
            delay.projected(event);
        }
    }
}
