package io.tollgate.tokenapi.api.portal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.tollgate.tokenapi.core.RedirectUris;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * {@code PUT /portal/api/apps/{clientId}/redirect-uris}: the app's redirect URIs, all of them (at most
 * {@link RedirectUris#MAX_COUNT}; each is then checked by {@link RedirectUris#problem}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RedirectUrisChange(
        @NotNull(message = Messages.STRINGS)
        @Size(max = RedirectUris.MAX_COUNT, message = "has at most " + RedirectUris.MAX_COUNT + " URIs")
        List<@NotNull(message = Messages.STRINGS) String> redirectUris) {
}
