package io.tollgate.tokenapi.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** The 400 answer to an invalid declarative configuration: every error, each with its JSON Pointer. */
public record InvalidConfigResponse(@JsonProperty("error") String error,
                                    @JsonProperty("error_description") String errorDescription,
                                    @JsonProperty("errors") List<Item> errors) {

    public record Item(@JsonProperty("path") String path, @JsonProperty("message") String message) {
    }
}
