package io.tollgate.tokenapi.portal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A JSON body Jackson could not read into its record: 400 {@code invalid_request} in the portal's error shape
 * ("{@code <field>} is of the wrong type"; {@link JsonBodyFilter} has already refused what is no JSON object).
 * Only the portal binds bodies to records. A Jackson failure that is no fault of the body (a type Jackson cannot build,
 * an answer it cannot write) is a bug, answered by {@code fallback} (500, logged).
 */
@Provider
public class JsonBodyExceptionMapper implements ExceptionMapper<JsonProcessingException> {
    private final ExceptionMapper<Throwable> fallback;
    private final PortalExceptionMapper errors = new PortalExceptionMapper();

    public JsonBodyExceptionMapper(ExceptionMapper<Throwable> fallback) {
        this.fallback = fallback;
    }

    @Override
    public Response toResponse(JsonProcessingException e) {
        if (!(e instanceof StreamReadException || e instanceof StreamConstraintsException
                || e instanceof MismatchedInputException || e instanceof ValueInstantiationException)) {
            return fallback.toResponse(e);
        }
        return errors.toResponse(PortalException.badRequest(describe(e)));
    }

    private static String describe(JsonProcessingException e) {
        if (e instanceof MismatchedInputException mismatch) {
            String field = mismatch.getPath().isEmpty() ? null : mismatch.getPath().get(0).getFieldName();
            return field == null ? "the body must be a JSON object" : field + " is of the wrong type";
        }
        return "the body is not valid JSON";
    }
}
