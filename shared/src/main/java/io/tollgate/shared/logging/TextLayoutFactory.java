package io.tollgate.shared.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.logging.common.layout.DiscoverableLayoutFactory;
import io.dropwizard.logging.common.layout.DropwizardLayoutFactory;

import java.util.TimeZone;

/**
 * Dropwizard's plain text log layout under a type name, {@code layout: {type: text}}, so that a configuration can
 * choose between it and {@code dropwizard-json-logging}'s {@code json} with one substituted value:
 * {@code layout: {type: ${TOLLGATE_LOG_FORMAT:-text}}}. Dropwizard itself names only the JSON layouts.
 */
@JsonTypeName("text")
public final class TextLayoutFactory implements DiscoverableLayoutFactory<ILoggingEvent> {
    @Override
    public LayoutBase<ILoggingEvent> build(LoggerContext context, TimeZone timeZone) {
        return new DropwizardLayoutFactory().build(context, timeZone);
    }
}
