package io.tollgate.tokenapi.api.portal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * {@code POST /portal/api/apps}: the app's name, {@code public} or {@code confidential}, and optionally its grant
 * types (the browser grants when absent).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NewApplication(
        @NotEmpty(message = Messages.REQUIRED) @Size(max = 80, message = Messages.TOO_LONG) String name,
        @NotEmpty(message = Messages.REQUIRED) @Size(max = 20, message = Messages.TOO_LONG) String type,
        @Size(min = 1, max = 4, message = Messages.GRANT_TYPES)
        List<@NotNull(message = Messages.GRANT_TYPES) String> grantTypes) {
}
