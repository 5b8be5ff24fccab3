package io.tollgate.tokenapi.api.portal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

/** {@code POST /portal/api/apps/{clientId}/subscriptions}: the API and one of its plans. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NewSubscription(
        @NotEmpty(message = Messages.REQUIRED) @Size(max = 100, message = Messages.TOO_LONG) String api,
        @NotEmpty(message = Messages.REQUIRED) @Size(max = 100, message = Messages.TOO_LONG) String planId) {
}
