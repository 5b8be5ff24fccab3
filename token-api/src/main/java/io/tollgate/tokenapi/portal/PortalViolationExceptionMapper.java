package io.tollgate.tokenapi.portal;

import io.dropwizard.jersey.validation.JerseyViolationException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.lang.reflect.RecordComponent;
import java.util.Comparator;
import java.util.List;

/**
 * A portal body that breaks its constraints (Bean Validation on the {@code api.portal} records): 400
 * {@code invalid_request} in the portal's error shape, describing one violation as "{@code <field> <message>}"
 * (the first field in the record's order; "the body must be a JSON object" for no body at all). The portal reads
 * {@code error_description}.
 */
@Provider
public class PortalViolationExceptionMapper implements ExceptionMapper<JerseyViolationException> {
    private static final Comparator<ConstraintViolation<?>> FIELD_ORDER = Comparator
            .comparingInt(PortalViolationExceptionMapper::position)
            .thenComparing(ConstraintViolation::getMessage);

    private final PortalExceptionMapper errors = new PortalExceptionMapper();

    @Override
    public Response toResponse(JerseyViolationException e) {
        String description = e.getConstraintViolations().stream().min(FIELD_ORDER)
                .map(PortalViolationExceptionMapper::describe).orElse("the body is invalid");
        return errors.toResponse(PortalException.badRequest(description));
    }

    private static String describe(ConstraintViolation<?> violation) {
        String field = field(violation);
        return field == null ? "the body must be a JSON object" : field + " " + violation.getMessage();
    }

    /** The body's field the violation is about, or {@code null} when it is about the body itself. */
    private static String field(ConstraintViolation<?> violation) {
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.PROPERTY) {
                return node.getName();
            }
        }
        return null;
    }

    /** The field's place in its record (-1 for the body itself, so a missing body is told first). */
    private static int position(ConstraintViolation<?> violation) {
        String field = field(violation);
        Object bean = violation.getLeafBean();
        if (field == null || bean == null || !bean.getClass().isRecord()) {
            return field == null ? -1 : Integer.MAX_VALUE;
        }
        List<String> names = java.util.Arrays.stream(bean.getClass().getRecordComponents())
                .map(RecordComponent::getName).toList();
        int at = names.indexOf(field);
        return at < 0 ? Integer.MAX_VALUE : at;
    }
}
