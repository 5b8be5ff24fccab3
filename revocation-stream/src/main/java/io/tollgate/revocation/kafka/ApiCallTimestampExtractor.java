package io.tollgate.revocation.kafka;

import io.tollgate.shared.events.ApiCall;
import io.tollgate.shared.events.Event;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/** Event time of a call is when the gateway answered it ({@code ApiCall.time}), not when Kafka got it. */
public final class ApiCallTimestampExtractor implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof Event<?> event && event.data() instanceof ApiCall call) {
            return call.time().toEpochMilli();
        }
        return record.timestamp();
    }
}
