package io.tollgate.tokenapi.keys;

import io.dropwizard.lifecycle.Managed;
import io.tollgate.shared.concurrent.DaemonThreads;
import io.tollgate.shared.crypto.Hashes;
import io.tollgate.shared.keys.KeySet;
import io.tollgate.shared.keys.KeySetFile;
import io.tollgate.shared.keys.ManagedKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The key set file, re-read every {@code interval} on a thread of its own (never on a request): when its bytes
 * change, the new set replaces the current one once it loads. A file that cannot be read or is unusable leaves
 * the last good set in force and is logged once as an error; the node keeps serving.
 */
public final class ReloadingSigningKeys implements SigningKeySource, Managed {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadingSigningKeys.class);

    private final Path file;
    private final Duration interval;
    private final Function<KeySet, SigningKeys> load;
    private volatile SigningKeys current;
    private byte[] loadedDigest;
    private byte[] refusedDigest;
    private ScheduledExecutorService scheduler;

    /**
     * Loads the file now; throws if it cannot be used (a node does not start without keys).
     *
     * @param load makes the keys from a parsed set, or throws why the set is refused
     */
    public ReloadingSigningKeys(Path file, Duration interval, Function<KeySet, SigningKeys> load) {
        this.file = file;
        this.interval = interval;
        this.load = load;
        byte[] bytes = read();
        this.current = load.apply(KeySetFile.parse(new String(bytes, StandardCharsets.UTF_8)));
        this.loadedDigest = Hashes.sha256Bytes(bytes);
        LOG.info("event=keys.loaded file={} {}", file, describe(current.keySet()));
    }

    @Override
    public SigningKeys current() {
        return current;
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("signing-keys-reload"));
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::reload, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** Reads the file; loads it if its bytes changed. True when a new set is now in force. */
    public synchronized boolean reload() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            refuse(null, "cannot read it: " + e);
            return false;
        }
        byte[] digest = Hashes.sha256Bytes(bytes);
        if (Arrays.equals(digest, loadedDigest)) {
            refusedDigest = null;
            return false;
        }
        if (Arrays.equals(digest, refusedDigest)) {
            return false;
        }
        SigningKeys next;
        try {
            next = load.apply(KeySetFile.parse(new String(bytes, StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            refuse(digest, e.getMessage());
            return false;
        }
        current = next;
        loadedDigest = digest;
        refusedDigest = null;
        LOG.info("event=keys.reloaded file={} {}", file, describe(next.keySet()));
        return true;
    }

    /** Logs a refused file once per distinct content (a missing file once until it changes). */
    private void refuse(byte[] digest, String reason) {
        byte[] key = digest == null ? new byte[0] : digest;
        if (Arrays.equals(key, refusedDigest)) {
            return;
        }
        refusedDigest = key;
        LOG.error("event=keys.reload_refused file={} reason=\"{}\" active={} (the last good key set stays in force)",
                file, reason, current.currentKeyId());
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the key set file " + file + ": " + e, e);
        }
    }

    /** Kids and states only: never a private part. */
    private static String describe(KeySet set) {
        StringBuilder sb = new StringBuilder("active=" + set.active().map(ManagedKey::kid).orElse("none"));
        sb.append(" keys=[");
        sb.append(String.join(",", set.keys().stream().map(k -> k.kid() + ":" + k.state().label()).toList()));
        return sb.append(']').toString();
    }
}
