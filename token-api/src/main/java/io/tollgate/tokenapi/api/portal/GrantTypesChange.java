package io.tollgate.tokenapi.api.portal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/** {@code PUT /portal/api/apps/{clientId}/grants}: the application's grant types, all of them. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GrantTypesChange(
        @NotNull(message = Messages.REQUIRED) @Size(min = 1, max = 4, message = Messages.GRANT_TYPES)
        List<@NotNull(message = Messages.GRANT_TYPES) String> grantTypes) {
}
