package io.tollgate.tokenapi.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The JSON body of RFC 6749 §5.2. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorResponse(@JsonProperty("error") String error,
                            @JsonProperty("error_description") String errorDescription) {
}
