package io.tollgate.gateway.config;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.util.Locale;

/**
 * An upstream base URL the gateway can honour: {@code http://} or {@code https://} with a host. Anything
 * else is refused when the configuration is read, so no scheme is ever guessed at or downgraded.
 */
@Documented
@Constraint(validatedBy = UpstreamUrl.Validator.class)
@Target({ElementType.TYPE_USE, ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
public @interface UpstreamUrl {
    String message() default "must be an http:// or https:// URL with a host (no other scheme is supported)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<UpstreamUrl, URI> {
        @Override
        public boolean isValid(URI value, ConstraintValidatorContext context) {
            return value == null || supported(value);
        }

        /** Also the gateway's start-up check, for configurations built in code. */
        public static boolean supported(URI upstream) {
            String scheme = upstream.getScheme() == null ? "" : upstream.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && upstream.getHost() != null
                    && upstream.getRawUserInfo() == null;
        }
    }
}
