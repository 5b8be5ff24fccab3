package io.tollgate.tokenapi.api.portal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import java.io.IOException;

/**
 * A whole JSON number that fits a {@code long}, and nothing else: Jackson would otherwise truncate {@code 2.5} to 2
 * and read {@code "2"} as 2, so a decision could name a version nobody reviewed.
 */
final class WholeNumber extends StdDeserializer<Long> {
    WholeNumber() {
        super(Long.class);
    }

    @Override
    public Long deserialize(JsonParser p, DeserializationContext context) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return p.getLongValue();
        }
        return (Long) context.handleUnexpectedToken(Long.class, p);
    }
}
