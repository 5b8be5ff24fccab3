package io.tollgate.cli;

import io.tollgate.shared.redis.RedisKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Asks revocation-stream to rebuild the Redis projection from Kafka (its admin task, authenticated as an operator
 * with HTTP Basic like the commands that call token-api) and follows {@code tg:projection} until it is
 * {@code ready} again, drawing a progress bar from its {@code progress}.
 */
@Command(name = "rebuild-projection", description = "Rebuild Redis from Kafka (revocation-stream task) and follow its progress.")
final class RebuildProjectionCommand extends TollgateCommand {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @Option(names = {"-u", "--user"}, description = "Operator account for revocation-stream's admin tasks (default ops); "
            + "password from TOLLGATE_OPERATOR_PASSWORD or a prompt.")
    String operator = "ops";

    @Option(names = "--timeout", description = "Seconds to wait for the rebuild (default 600).")
    int timeoutSeconds = 600;

    @Option(names = "--poll-ms", hidden = true)
    int pollMillis = 200;

    /** How long an absent {@code tg:projection} is taken for a rebuild not started yet, not for the wrong Redis. */
    @Option(names = "--absent-grace-ms", hidden = true)
    int absentGraceMillis = 10_000;

    @Override
    public Integer call() throws Exception {
        String url = root.revocationAdmin() + "/tasks/rebuild-projection";
        char[] password = root.operatorPassword(operator);
        String authorization = OperatorApi.basic(operator, password);
        Arrays.fill(password, '\0');
        try (Jedis jedis = new Jedis(new HostAndPort(root.redisHost(), root.redisPort()),
                DefaultJedisClientConfig.builder().connectionTimeoutMillis(2000).socketTimeoutMillis(5000).build())) {
            String before = jedis.hget(RedisKeys.PROJECTION, "updatedAt");
            post(url, authorization);
            long accepted = System.nanoTime();
            long deadline = accepted + Duration.ofSeconds(timeoutSeconds).toNanos();
            boolean sawRebuilding = false;
            PrintWriter err = root.err();
            while (System.nanoTime() < deadline) {
                Map<String, String> state = jedis.hgetAll(RedisKeys.PROJECTION);
                if (state.isEmpty() && !sawRebuilding
                        && System.nanoTime() - accepted > Duration.ofMillis(absentGraceMillis).toNanos()) {
                    // revocation-stream always writes it: this is not the Redis it projects into
                    throw new CliException("revocation-stream accepted the rebuild, but Redis at " + root.redisHost()
                            + ":" + root.redisPort() + " has no " + RedisKeys.PROJECTION + " after "
                            + Duration.ofMillis(absentGraceMillis).toSeconds() + " s: is it the Redis revocation-stream "
                            + "writes to? (--redis-host/--redis-port, or TOLLGATE_REDIS_HOST/TOLLGATE_REDIS_PORT)");
                }
                String s = state.getOrDefault(RedisKeys.PROJECTION_STATE_FIELD, "");
                if (RedisKeys.PROJECTION_REBUILDING.equals(s)) {
                    sawRebuilding = true;
                    if (!root.json) {
                        err.print("\r" + bar(state.get("progress")));
                        err.flush();
                    }
                } else if (RedisKeys.PROJECTION_READY.equals(s)
                        && (sawRebuilding || before == null || !before.equals(state.get("updatedAt")))) {
                    return done(state, err);
                }
                Thread.sleep(pollMillis);
            }
            throw new CliException("the projection was not ready again within " + timeoutSeconds + " s; "
                    + RedisKeys.PROJECTION + " = " + jedis.hgetAll(RedisKeys.PROJECTION));
        } catch (JedisConnectionException e) {
            throw new CliException("Redis is not reachable at " + root.redisHost() + ":" + root.redisPort());
        }
    }

    private int done(Map<String, String> state, PrintWriter err) {
        if (root.json) {
            Map<String, Object> result = new LinkedHashMap<>(state);
            root.printJson(result);
        } else {
            err.print("\r" + bar("1") + "\n");
            err.flush();
            root.out().println("projection rebuilt: " + RedisKeys.PROJECTION + " is ready");
            root.out().flush();
        }
        return 0;
    }

    /** Starts the task; a refusal is one clear line (the server's own explanation, never its raw body). */
    private void post(String url, String authorization) {
        HttpResponse<String> response;
        try {
            response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10))
                    .header("Authorization", authorization)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new CliException("revocation-stream is not reachable at " + url + " (is it running?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
        int status = response.statusCode();
        if (status == 200 || status == 204) {
            return;
        }
        String detail = OperatorApi.describe(response.body());
        throw new CliException(switch (status) {
            case 401 -> "revocation-stream refused the operator credentials of '" + operator + "' (401)" + detail;
            case 403 -> "revocation-stream refused the rebuild (403)" + detail;
            case 429 -> "revocation-stream refused the rebuild (429)" + detail;
            default -> "revocation-stream answered " + status + " to " + url;
        });
    }

    /** A 30-column bar for "0.42", "42%", "42" (percent) or "n/m"; an unknown format shows as is. */
    static String bar(String progress) {
        OptionalDouble fraction = fraction(progress);
        if (fraction.isEmpty()) {
            return "rebuilding... " + (progress == null ? "" : progress);
        }
        double f = Math.max(0, Math.min(1, fraction.getAsDouble()));
        int filled = (int) Math.round(f * 30);
        return "[" + "#".repeat(filled) + "-".repeat(30 - filled) + "] " + String.format("%3d%%", Math.round(f * 100));
    }

    static OptionalDouble fraction(String progress) {
        if (progress == null || progress.isBlank()) {
            return OptionalDouble.empty();
        }
        String p = progress.trim();
        try {
            if (p.endsWith("%")) {
                return OptionalDouble.of(Double.parseDouble(p.substring(0, p.length() - 1)) / 100);
            }
            int slash = p.indexOf('/');
            if (slash > 0) {
                double total = Double.parseDouble(p.substring(slash + 1));
                return total <= 0 ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(p.substring(0, slash)) / total);
            }
            double v = Double.parseDouble(p);
            return OptionalDouble.of(v > 1 ? v / 100 : v);
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }
}
