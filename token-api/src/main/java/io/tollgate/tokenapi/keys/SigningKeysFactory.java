package io.tollgate.tokenapi.keys;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.nio.file.Path;

/**
 * Where the signing keys live: a JWK set file holding one or more private keys, each with a {@code kid}
 * and an {@code iat} (issue time). The newest key signs; every key is published at the JWKS endpoint,
 * so a new key can be added ahead of use and an old one kept until its tokens expired. A missing file is
 * created with one new key of {@code algorithm}.
 */
public class SigningKeysFactory {
    @NotEmpty
    private String file = ".stack/token-api/jwks.json";

    /** Algorithm of a generated key: RS256 (chosen from measurements, see README) or ES256. */
    @NotNull
    private SigningAlgorithm algorithm = SigningAlgorithm.RS256;

    @JsonProperty
    public String getFile() {
        return file;
    }

    @JsonProperty
    public void setFile(String file) {
        this.file = file;
    }

    @JsonProperty
    public SigningAlgorithm getAlgorithm() {
        return algorithm;
    }

    @JsonProperty
    public void setAlgorithm(SigningAlgorithm algorithm) {
        this.algorithm = algorithm;
    }

    public SigningKeys build() {
        return SigningKeys.loadOrCreate(Path.of(file), algorithm);
    }
}
