package io.tollgate.tokenapi.api.portal;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A password in a portal body: required, and at most 200 characters, so that no longer one reaches the password
 * hashing. Each rule reports with its own message ({@link Messages}).
 */
@NotEmpty(message = Messages.REQUIRED)
@Size(max = 200, message = Messages.TOO_LONG)
@Constraint(validatedBy = {})
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE,
        ElementType.TYPE_USE})
public @interface Password {
    /** Unused: the composing constraints report with their own messages. */
    String message() default "";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
