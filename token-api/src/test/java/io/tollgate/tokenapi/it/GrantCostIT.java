package io.tollgate.tokenapi.it;

import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.tokenapi.TokenApiTestStack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisMonitor;
import redis.clients.jedis.exceptions.JedisConnectionException;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.tollgate.tokenapi.it.Http.params;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one password grant and one refresh grant cost the directory and Redis, counted on the stack's own directory
 * (operations by type) and its own Redis (the commands token-api sends, by type, as {@code MONITOR} shows them;
 * the commands a Lua script runs inside Redis are the script's, not round trips) over {@link #GRANTS} grants in a
 * row, after a warm-up. A count is deterministic where a time is not: a change that adds a round trip to a grant
 * fails here. Each run prints its counts, and {@code INFO commandstats} (script-internal commands included).
 *
 * <p>The stack runs {@code config/local.yml}, whose groups come from the user entry's memberOf: a password grant is
 * one user search and one bind, a refresh one user search. {@link GrantCostMemberSearchIT} counts the directory
 * operations with groups searched by member.
 *
 * <p>{@code PING} is left out of the exact figures: the pool tests idle connections on its eviction timer, which
 * may fire during the run, but never per grant ({@link #pingsAreNotPerGrant}).
 */
class GrantCostIT {
    static final int GRANTS = 40;
    static final String START = "grant-cost-start";
    static final String END = "grant-cost-end";

    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("grant-cost-it").build();

    static Http http;

    @BeforeAll
    static void client() {
        http = new Http(STACK.baseUrl());
    }

    /** What the directory and Redis served per grant, and the PINGs of the whole run. */
    record Cost(Map<String, Long> ldap, Map<String, Long> redis, long pings) {
    }

    static Http.Answer login() {
        return login(http);
    }

    /** alice's password grant on the stack {@code http} speaks to. */
    static Http.Answer login(Http http) {
        Http.Answer answer = http.postForm("/oauth2/token", params("grant_type", "password",
                "client_id", DemoRegistry.CLIENT_ID, "username", "alice", "password", "alice-secret"));
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
        return answer;
    }

    static Http.Answer refresh(String refreshToken) {
        return refresh(http, refreshToken);
    }

    static Http.Answer refresh(Http http, String refreshToken) {
        Http.Answer answer = http.postForm("/oauth2/token", params("grant_type", "refresh_token",
                "client_id", DemoRegistry.CLIENT_ID, "refresh_token", refreshToken));
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
        return answer;
    }

    /** Calls per command ({@code INFO commandstats}), commands run by scripts included. */
    static Map<String, Long> commandStats() {
        Map<String, Long> calls = new TreeMap<>();
        try (Jedis jedis = STACK.redis().jedis()) {
            for (String line : jedis.info("commandstats").split("\r?\n")) {
                if (line.startsWith("cmdstat_")) {
                    String command = line.substring("cmdstat_".length(), line.indexOf(':'));
                    String stats = line.substring(line.indexOf(':') + 1);
                    calls.put(command, Long.parseLong(stats.substring("calls=".length(), stats.indexOf(','))));
                }
            }
        }
        return calls;
    }

    /** The commands clients sent while {@code work} ran, by name; those a script ran inside Redis left out. */
    static Map<String, Long> sentCommands(Runnable work) throws InterruptedException {
        Map<String, Long> counts = new ConcurrentSkipListMap<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread monitor = new Thread(() -> {
            try (Jedis jedis = STACK.redis().jedis()) {
                jedis.monitor(new JedisMonitor() {
                    boolean counting;

                    @Override
                    public void onCommand(String line) {
                        // 1700000000.123456 [0 127.0.0.1:40000] "get" "key"; a script's own commands: [0 lua]
                        int from = line.indexOf('[');
                        int close = line.indexOf(']', from);
                        int quote = line.indexOf('"', close);
                        String command = line.substring(quote + 1, line.indexOf('"', quote + 1))
                                .toLowerCase(Locale.ROOT);
                        if (line.contains("\"" + START + "\"")) {
                            counting = true;
                            started.countDown();
                        } else if (line.contains("\"" + END + "\"")) {
                            client.disconnect();
                        } else if (counting && !line.substring(from, close).endsWith("lua")) {
                            counts.merge(command, 1L, Long::sum);
                        }
                    }
                });
            } catch (JedisConnectionException e) {
                // the monitor's connection closed at the end marker
            }
        }, "grant-cost-monitor");
        monitor.start();
        try (Jedis jedis = STACK.redis().jedis()) {
            do {
                jedis.echo(START);
            } while (!started.await(100, TimeUnit.MILLISECONDS));
            work.run();
            jedis.echo(END);
        }
        monitor.join(10_000);
        return new TreeMap<>(counts);
    }

    static Map<String, Long> perGrant(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new TreeMap<>();
        after.forEach((key, count) -> {
            long delta = count - before.getOrDefault(key, 0L);
            if (delta != 0) {
                out.put(key, delta);
            }
        });
        return out;
    }

    static Map<String, Long> divided(Map<String, Long> total) {
        Map<String, Long> out = new TreeMap<>();
        total.forEach((key, count) -> {
            assertThat(count % GRANTS).as("%s: %d over %d grants is no whole number per grant", key, count, GRANTS)
                    .isZero();
            out.put(key, count / GRANTS);
        });
        return out;
    }

    /** Runs {@code grant} a few times, then {@link #GRANTS} times counted. */
    static Cost cost(String name, Supplier<Http.Answer> grant) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            grant.get();
        }
        Map<String, Long> ldapBefore = STACK.ldap().directory().operations();
        Map<String, Long> statsBefore = commandStats();
        Map<String, Long> sent = sentCommands(() -> {
            for (int i = 0; i < GRANTS; i++) {
                grant.get();
            }
        });
        Map<String, Long> stats = perGrant(statsBefore, commandStats());
        Map<String, Long> ldap = perGrant(ldapBefore, STACK.ldap().directory().operations());
        System.out.printf("%s over %d grants: directory %s; Redis sent %s; Redis commandstats %s%n", name, GRANTS,
                ldap, sent, stats);
        long pings = sent.getOrDefault("ping", 0L);
        sent.remove("ping");
        return new Cost(divided(ldap), divided(sent), pings);
    }

    @Test
    void passwordGrant() throws InterruptedException {
        Cost cost = cost("password grant", GrantCostIT::login);
        assertThat(cost.ldap()).as("directory operations per password grant")
                .isEqualTo(Map.of("search", 1L, "bind", 1L));
        // no DEL: alice has no failures on record, so there is nothing for the login to reset
        assertThat(cost.redis()).as("Redis commands per password grant").isEqualTo(Map.of("pttl", 2L, "get", 2L,
                "multi", 1L, "hget", 2L, "exec", 1L, "evalsha", 1L));
    }

    @Test
    void refreshGrant() throws InterruptedException {
        String[] token = {login().text("refresh_token")};
        Supplier<Http.Answer> rotate = () -> {
            Http.Answer answer = refresh(token[0]);
            token[0] = answer.text("refresh_token");
            return answer;
        };
        Cost cost = cost("refresh grant", rotate);
        assertThat(cost.ldap()).as("directory operations per refresh grant").isEqualTo(Map.of("search", 1L));
        assertThat(cost.redis()).as("Redis commands per refresh grant").isEqualTo(Map.of("pttl", 1L,
                "evalsha", 2L, "multi", 1L, "hget", 2L, "exec", 1L));
    }

    @Test
    void pingsAreNotPerGrant() throws InterruptedException {
        assertThat(cost("password grant", GrantCostIT::login).pings()).as("PINGs over %d password grants", GRANTS)
                .isLessThan(GRANTS);
    }

    @Test
    void aScriptRedisNoLongerHoldsIsSentWholeOnceThenByItsDigest() throws InterruptedException {
        login();
        try (Jedis jedis = STACK.redis().jedis()) {
            jedis.scriptFlush();
        }
        assertThat(sentCommands(GrantCostIT::login)).as("NOSCRIPT, then EVAL").containsEntry("evalsha", 1L)
                .containsEntry("eval", 1L);
        assertThat(sentCommands(GrantCostIT::login)).containsEntry("evalsha", 1L).doesNotContainKey("eval");
    }
}
