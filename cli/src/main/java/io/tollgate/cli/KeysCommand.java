package io.tollgate.cli;

import com.nimbusds.jose.jwk.JWKSet;
import io.tollgate.shared.keys.KeySet;
import io.tollgate.shared.keys.KeySetException;
import io.tollgate.shared.keys.KeySetFile;
import io.tollgate.shared.keys.ManagedKey;
import io.tollgate.shared.keys.SigningAlgorithm;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

/**
 * {@code tollgate keys}: the signing key set file that every token-api node reads (README "Rotating signing keys").
 * A key is generated (staged: in the file only), published (in the JWKS), promoted (signs; the previous signer goes
 * back to published) and retired (removed, once the tokens it signed have expired). Private keys are never printed;
 * the file is rewritten atomically with mode 600.
 */
@Command(name = "keys", description = "Manage the signing key set file shared by every token-api node: "
        + "init, generate, publish, promote, retire, list.",
        subcommands = {KeysCommand.Init.class, KeysCommand.Generate.class, KeysCommand.Publish.class,
                KeysCommand.Promote.class, KeysCommand.Retire.class, KeysCommand.ListKeys.class})
final class KeysCommand {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @ParentCommand
    TollgateCli root;

    @Option(names = "--file", scope = CommandLine.ScopeType.INHERIT, paramLabel = "FILE",
            description = "The key set file (env TOLLGATE_KEYS_FILE): token-api's keys.file.")
    Path file;

    Clock clock = Clock.systemUTC();

    Path file() {
        if (file != null) {
            return file;
        }
        String fromEnv = root.env("TOLLGATE_KEYS_FILE", null);
        if (fromEnv == null) {
            throw new CliException("no key set file: give --file FILE or set TOLLGATE_KEYS_FILE (token-api's keys.file)");
        }
        return Path.of(fromEnv);
    }

    KeySet read() {
        Path path = file();
        if (!Files.exists(path)) {
            throw new CliException("no key set file " + path + ": make one with `tollgate keys init --file " + path + "`");
        }
        try {
            return KeySetFile.read(path);
        } catch (KeySetException e) {
            throw new CliException(e.getMessage());
        }
    }

    /** Reads the set, applies {@code change} and writes the result; a refusal leaves the file as it was. */
    KeySet change(UnaryOperator<KeySet> change) {
        KeySet next;
        try {
            next = change.apply(read());
        } catch (KeySetException e) {
            throw new CliException(e.getMessage() + (e.forcible() ? " (--force to do it anyway)" : ""));
        }
        write(next);
        return next;
    }

    void write(KeySet set) {
        try {
            KeySetFile.write(file(), set);
        } catch (IOException e) {
            throw new CliException("cannot write the key set file " + file() + ": " + e.getMessage());
        }
    }

    Instant now() {
        return clock.instant();
    }

    void done(String message) {
        root.out().println(message);
        root.out().flush();
    }

    /** {@code 10m}, {@code 30s}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT10M}). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.startsWith("p")) {
                return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            }
            if (v.length() < 2) {
                throw new CommandLine.TypeConversionException("not a duration: " + value + " (e.g. 10m, 30s, 2h)");
            }
            long n;
            try {
                n = Long.parseLong(v.substring(0, v.length() - 1));
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("not a duration: " + value + " (e.g. 10m, 30s, 2h)");
            }
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new CommandLine.TypeConversionException("not a duration: " + value
                        + " (e.g. 10m, 30s, 2h)");
            };
        }
    }

    /** A sub-command that makes a new key of the {@code --alg} algorithm. */
    abstract static class NewKey implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;

        @Option(names = {"--alg", "--algorithm"}, description = "EdDSA (Ed25519), ES256 or RS256 (default "
                + "${DEFAULT-VALUE}).", defaultValue = "EdDSA")
        SigningAlgorithm algorithm;
    }

    @Command(name = "init", description = "Create the key set file with one new key, active at once (a new "
            + "deployment; refused if the file exists).")
    static final class Init extends NewKey {
        @Override
        public Integer call() {
            Path path = keys.file();
            if (Files.exists(path)) {
                throw new CliException("the key set file " + path + " exists: add a key with `tollgate keys generate`");
            }
            KeySet set = KeySet.init(algorithm, keys.now(), false);
            keys.write(set);
            keys.done("created " + path + " with active key " + set.active().orElseThrow().kid());
            return 0;
        }
    }

    @Command(name = "generate", description = "Add a new key, staged: in the file, not yet in the JWKS "
            + "(--publish: published at once). Prints its kid.")
    static final class Generate extends NewKey {
        @Option(names = "--publish", description = "Publish it in the same step.")
        boolean publish;

        @Override
        public Integer call() {
            ManagedKey key = KeySet.newStagedKey(algorithm, keys.now());
            keys.change(set -> publish ? set.add(key).publish(key.kid(), keys.now()) : set.add(key));
            keys.done(key.kid());
            return 0;
        }
    }

    /** A sub-command on one key of the set, named by its kid. */
    abstract static class OneKey implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;

        @Parameters(paramLabel = "KID")
        String kid;
    }

    @Command(name = "publish", description = "Put a staged key in the JWKS (it verifies; it does not sign yet).")
    static final class Publish extends OneKey {
        @Override
        public Integer call() {
            keys.change(set -> set.publish(kid, keys.now()));
            keys.done("published " + kid + " (promote it once every gateway has fetched the JWKS)");
            return 0;
        }
    }

    @Command(name = "promote", description = "Make a published key the signing key; the current one goes back to "
            + "published and keeps verifying. Refused while the key has been published for less than "
            + "--min-published, or while a --jwks-url does not serve it, unless --force.")
    static final class Promote extends OneKey {
        @Option(names = "--min-published", converter = DurationConverter.class, defaultValue = "10m",
                description = "How long the key must have been published: the gateways' tokens.jwksRefreshInterval "
                        + "(5m) plus the JWKS's Cache-Control max-age (300 s). Default ${DEFAULT-VALUE}.")
        Duration minPublished;

        @Option(names = "--jwks-url", paramLabel = "URL",
                description = "A JWKS that must serve the key first (token-api's /oauth2/jwks, each node's); repeatable.")
        List<URI> jwksUrls = new ArrayList<>();

        @Option(names = "--force", description = "Promote even if too early or not served.")
        boolean force;

        @Override
        public Integer call() {
            for (URI url : jwksUrls) {
                String problem = served(url, kid);
                if (problem != null && !force) {
                    throw new CliException(problem + ": gateways reading it would refuse the key's tokens "
                            + "(--force to promote anyway)");
                }
                if (problem != null) {
                    keys.root.err().println("tollgate: warning: " + problem);
                }
            }
            KeySet next = keys.change(set -> set.promote(kid, keys.now(), minPublished, force));
            String previous = next.keys().stream().filter(k -> k.deactivated() != null
                    && k.deactivated().equals(next.get(kid).activated())).map(ManagedKey::kid).findFirst().orElse(null);
            keys.done("promoted " + kid + (previous == null ? "" : "; " + previous + " stopped signing and stays "
                    + "published until retired"));
            return 0;
        }
    }

    /** Null when {@code url} serves {@code kid}; otherwise what is wrong. */
    static String served(URI url, String kid) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return url + " answered " + response.statusCode();
            }
            JWKSet set = JWKSet.parse(response.body());
            return set.getKeyByKeyId(kid) != null ? null : url + " does not serve key " + kid + " yet";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return url + " was not read (interrupted)";
        } catch (IOException | java.text.ParseException | IllegalArgumentException e) {
            return url + " could not be read: " + e.getMessage();
        }
    }

    @Command(name = "retire", description = "Remove a key that does not sign: it leaves the JWKS. Refused for the "
            + "active key, and while tokens it signed may be valid (it stopped signing less than --token-lifetime "
            + "plus 1 minute ago) unless --force.")
    static final class Retire extends OneKey {
        @Option(names = "--token-lifetime", converter = DurationConverter.class, defaultValue = "5m",
                description = "The longest lifetime of a token the key signed: token-api's "
                        + "tokens.accessTokenLifetime. Default ${DEFAULT-VALUE}.")
        Duration tokenLifetime;

        @Option(names = "--force", description = "Retire even while its tokens may be valid (they will be refused).")
        boolean force;

        @Override
        public Integer call() {
            keys.change(set -> set.retire(kid, keys.now(), tokenLifetime, force));
            keys.done("retired " + kid);
            return 0;
        }
    }

    @Command(name = "list", description = "Show every key: kid, algorithm, state and dates (never a private key).")
    static final class ListKeys implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;

        @Override
        public Integer call() {
            KeySet set = keys.read();
            if (keys.root.json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (ManagedKey k : set.keys()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("kid", k.kid());
                    row.put("alg", k.algorithm());
                    row.put("state", k.state().label());
                    row.put("created", string(k.created()));
                    row.put("published", string(k.published()));
                    row.put("activated", string(k.activated()));
                    row.put("deactivated", string(k.deactivated()));
                    row.put("demo", k.demo());
                    rows.add(row);
                }
                keys.root.printJson(rows);
                return 0;
            }
            Table table = new Table("KID", "ALG", "STATE", "CREATED", "PUBLISHED", "ACTIVATED", "DEACTIVATED");
            for (ManagedKey k : set.keys()) {
                table.row(k.kid() + (k.demo() ? " (demo)" : ""), k.algorithm(), k.state().label(), k.created(),
                        k.published(), k.activated(), k.deactivated());
            }
            table.print(keys.root.out());
            keys.root.out().flush();
            return 0;
        }

        private static String string(Instant t) {
            return t == null ? null : t.toString();
        }
    }
}
