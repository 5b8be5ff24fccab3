package io.tollgate.tokenapi.keys;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.tollgate.shared.keys.KeySet;
import io.tollgate.shared.keys.KeySetException;
import io.tollgate.shared.keys.KeySetFile;
import io.tollgate.shared.keys.ManagedKey;
import io.tollgate.shared.keys.SigningAlgorithm;
import io.tollgate.shared.startup.StartupRefusal;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Where the signing keys live: the key set file ({@link KeySetFile}), the same file on every node, managed with
 * {@code tollgate keys} (the operator CLI). The active key signs; published and active keys are served at the JWKS
 * endpoint. The file is re-read every {@code reloadInterval}. A missing file stops the start-up unless
 * {@code generateIfMissing} (a local demo stack), and demo keys are refused unless {@code allowDemoKeys}.
 */
public class SigningKeysFactory {
    private static final Logger LOG = LoggerFactory.getLogger(SigningKeysFactory.class);
    /** The local stack's data directory: a key file under it is a demo key. */
    static final String DEMO_DIRECTORY = ".stack";

    @NotEmpty
    public String file = ".stack/token-api/jwks.json";

    /** Algorithm of a key generated at start-up: EdDSA (chosen from measurements, see README), ES256 or RS256. */
    @NotNull
    public SigningAlgorithm algorithm = SigningAlgorithm.EdDSA;

    /** Create a missing file with one new key: for a local demo stack only (its key is a demo key). */
    public boolean generateIfMissing = false;

    /** Accept demo keys: those made by {@code generateIfMissing}, or a file in the local stack's {@code .stack}. */
    public boolean allowDemoKeys = false;

    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    public Duration reloadInterval = Duration.seconds(2);

    /** Loads the file (creating it only with {@code generateIfMissing}) and re-reads it while the node runs. */
    public ReloadingSigningKeys build(Environment environment) {
        ReloadingSigningKeys keys = build();
        environment.lifecycle().manage(keys);
        return keys;
    }

    /** As {@link #build(Environment)}, without starting the reloads. */
    public ReloadingSigningKeys build() {
        Path path = Path.of(file);
        if (!Files.exists(path)) {
            if (!generateIfMissing) {
                throw new StartupRefusal("no signing key file " + path.toAbsolutePath() + " (keys.file): "
                        + "make one with `tollgate keys init --file " + path + "` (the operator CLI: bin/tollgate, "
                        + "ops/tollgate in a source checkout) and give every token-api node the same file (keys.generateIfMissing: true makes a demo key instead, for a local stack)");
            }
            try {
                KeySetFile.write(path, KeySet.init(algorithm, Instant.now(), true));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the key file " + path, e);
            }
            LOG.warn("event=keys.generated file={} (a demo key: keys.generateIfMissing is for a local stack)", path);
        }
        try {
            return new ReloadingSigningKeys(path, reloadInterval.toJavaDuration(), this::accept);
        } catch (KeySetException e) {
            // A key set refused at start-up stops the node; one refused later is logged and the last good set kept.
            throw new StartupRefusal(e.getMessage() + " (keys.file)", e);
        }
    }

    /** The keys of {@code set}, or why this node refuses it. */
    SigningKeys accept(KeySet set) {
        if (!allowDemoKeys) {
            Path path = Path.of(file).toAbsolutePath().normalize();
            for (Path element : path) {
                if (element.toString().equals(DEMO_DIRECTORY)) {
                    throw new KeySetException("the key file " + path + " is in the local stack's " + DEMO_DIRECTORY
                            + " directory: a demo key (keys.allowDemoKeys is false)");
                }
            }
            for (ManagedKey key : set.keys()) {
                if (key.demo()) {
                    throw new KeySetException("key " + key.kid() + " in " + path + " is a demo key made by "
                            + "token-api at start-up (keys.allowDemoKeys is false): make the key set with "
                            + "`tollgate keys init`");
                }
            }
        }
        return new SigningKeys(set);
    }
}
