package io.tollgate.gateway.bench;

import com.nimbusds.jose.crypto.bc.BouncyCastleProviderSingleton;
import io.tollgate.gateway.testing.DpopKeys;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Fresh, unique DPoP proofs for one wrk run of {@code ops/bench/gateway-vs-nginx.sh --dpop}: {@code count} lines
 * {@code <access token> <proof>} (proof {@code i} for token {@code i mod tokens}, {@code GET} {@code htu}, a new
 * {@code jti}, {@code iat} now, {@code ath} of its token), split into {@code slices} files {@code <prefix>.1} ..
 * {@code <prefix>.<slices>}, one per wrk thread, so no proof is sent twice. Made just before the run: the gateway
 * accepts an {@code iat} at most 60 s old.
 *
 * <p>Args: keyFile (private JWK, written by {@link GatewayBenchHarness}) tokensFile htu count slices prefix.
 */
public final class DpopProofFiles {
    public static void main(String[] args) throws Exception {
        DpopKeys keys = new DpopKeys(Files.readString(Path.of(args[0])), BouncyCastleProviderSingleton.getInstance());
        List<String> tokens = Files.readAllLines(Path.of(args[1])).stream().filter(t -> !t.isEmpty()).toList();
        String htu = args[2];
        int count = Integer.parseInt(args[3]);
        int slices = Integer.parseInt(args[4]);
        String prefix = args[5];
        long started = System.nanoTime();
        IntStream.rangeClosed(1, slices).parallel().forEach(slice -> {
            try (BufferedWriter out = Files.newBufferedWriter(Path.of(prefix + "." + slice))) {
                for (int i = slice - 1; i < count; i += slices) {
                    String token = tokens.get(i % tokens.size());
                    out.write(token);
                    out.write(' ');
                    out.write(keys.proof("GET", htu, token));
                    out.newLine();
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%d proofs in %d slices, %.1f s%n", count, slices, seconds);
        if (seconds > 30) {
            // the first proofs of each slice are sent first: once they are older than 60 s the gateway refuses them
            System.err.printf("WARNING: making the proofs took %.0f s; with the run they may pass the 60 s iat limit:"
                    + " lower DPOP_RATE or DURATION%n", seconds);
        }
    }
}
