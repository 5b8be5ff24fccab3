package io.tollgate.tokenapi.api.portal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /portal/api/admin/subscriptions/{id}/approve|reject}: what the operator reviewed, the plan and the
 * subscription version shown (a whole JSON number, 0 or more: records from before versions are 0).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SubscriptionDecision(
        @NotEmpty(message = Messages.REQUIRED) @Size(max = 100, message = Messages.TOO_LONG) String planId,
        @NotNull(message = Messages.VERSION) @PositiveOrZero(message = Messages.VERSION)
        @JsonDeserialize(using = WholeNumber.class) Long version) {
}
