package io.tollgate.ops.e2e;

import io.tollgate.ops.e2e.LoginLoad.Kind;
import io.tollgate.ops.e2e.LoginLoad.Op;
import io.tollgate.ops.e2e.MobileClient.Answer;
import io.tollgate.ops.e2e.MobileClient.Tokens;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.testkit.RedisServer;
import redis.clients.jedis.Jedis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static io.tollgate.ops.e2e.FaultsIT.eventually;
import static io.tollgate.ops.e2e.FaultsIT.loadAverage;
import static io.tollgate.ops.e2e.FaultsIT.log;
import static io.tollgate.ops.e2e.LoginLoad.password;
import static io.tollgate.ops.e2e.LoginLoad.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis-loss fault of {@link FaultsIT}: Redis is SIGKILLed under load and restarted empty; revocation-stream
 * rebuilds the projection from Kafka. Before the crash it makes live families (some rotated once) and one
 * revoked token of every kind a user can cause (RFC 7009 access token and refresh token, refresh reuse, operator
 * revocation of a user and of a user for one client, the device limit, a policy denial); probes then call the
 * gateway with every access token and refresh every revoked refresh token, before, during and after, while a
 * login load runs. Every answer is kept with its send and receive time; so are the polls of the projection's
 * state after the restart, which tell when the gateway could not have confirmed anything.
 */
final class RedisLoss {
    enum Target { LIVE, REVOKED_ACCESS, REVOKED_REFRESH, ROTATING }

    record Probe(Target target, String label, String phase, Answer answer) {
    }

    /** One read of {@code tg:projection}'s state (null: missing; "error": Redis did not answer). */
    record Poll(long startNanos, long endNanos, String state) {
    }

    private final MobileClient client;
    private final RedisServer redis;
    private final Map<String, Tokens> live = new LinkedHashMap<>();
    private final Map<String, String> revokedAccess = new LinkedHashMap<>();
    private final Map<String, String> revokedRefresh = new LinkedHashMap<>();
    /** Families refreshed all along, before, during and after: user to its current refresh token. */
    private final Map<String, String> rotating = new ConcurrentHashMap<>();
    private final Queue<Probe> probes = new ConcurrentLinkedQueue<>();
    private final List<Poll> polls = new ArrayList<>();
    private final List<Thread> probers = new ArrayList<>();
    private volatile String phase = "before";
    private volatile boolean probing;
    private LoginLoad load;
    private long killedAt;
    private long restartedAt;
    private long readyAt;
    private long lastUnreadyPollStart;
    private long servedAgainAt;

    RedisLoss(MobileClient client, RedisServer redis) {
        this.client = client;
        this.redis = redis;
    }

    /**
     * Live families on bench users first..first+5 (every other one rotated), revoked tokens on the next six, and
     * two families that a prober keeps refreshing on first+12 and first+13.
     */
    void prepare(int first) throws Exception {
        for (int n = first; n < first + 6; n++) {
            Tokens tokens = loginOk(n);
            if ((n - first) % 2 == 1) {
                tokens = ok(client.refresh(tokens.refresh()), "refresh of " + user(n));
            }
            assertThat(client.call(tokens.access(), "/mobile/live").status()).isEqualTo(200);
            live.put(user(n), tokens);
        }
        Tokens jti = loginOk(first + 6);
        assertThat(client.revoke(jti.access()).status()).isEqualTo(200);
        revokedAccess.put("RFC 7009 access token", jti.access());

        Tokens reused = loginOk(first + 7);
        Tokens rotated = ok(client.refresh(reused.refresh()), "refresh");
        assertThat(client.refresh(reused.refresh()).error()).as("reuse").isEqualTo("invalid_grant");
        revokedAccess.put("reuse, first access token", reused.access());
        revokedAccess.put("reuse, rotated access token", rotated.access());
        revokedRefresh.put("reuse, current refresh token", rotated.refresh());

        Tokens user = loginOk(first + 8);
        assertThat(client.revokeUser(user(first + 8), false).status()).isEqualTo(204);
        revokedAccess.put("operator, user", user.access());
        revokedRefresh.put("operator, user", user.refresh());

        List<Tokens> devices = new ArrayList<>();
        for (int i = 0; i <= DemoRegistry.BASIC.maxDevices(); i++) {
            devices.add(loginOk(first + 9));
        }
        revokedAccess.put("device limit, oldest family", devices.get(0).access());
        revokedRefresh.put("device limit, oldest family", devices.get(0).refresh());

        Tokens family = loginOk(first + 10);
        assertThat(client.revoke(family.refresh()).status()).isEqualTo(200);
        revokedAccess.put("RFC 7009 refresh token (family)", family.access());
        revokedRefresh.put("RFC 7009 refresh token (family)", family.refresh());

        Tokens userClient = loginOk(first + 11);
        assertThat(client.revokeUser(user(first + 11), true).status()).isEqualTo(204);
        revokedAccess.put("operator, user for one client", userClient.access());
        revokedRefresh.put("operator, user for one client", userClient.refresh());

        for (int n = first + 12; n < first + 14; n++) {
            rotating.put(user(n), loginOk(n).refresh());
        }

        Tokens dave = ok(client.login("dave", "dave-secret"), "dave's login");
        revokedAccess.put("policy denial (license)", dave.access());
        revokedRefresh.put("policy denial (license)", dave.refresh());

        eventually(Duration.ofSeconds(30), () -> revokedAccess.values().stream()
                .allMatch(token -> client.call(token, "/mobile/revoked").status() == 401) ? true : null,
                "every revocation enforced by the gateway before the crash");
        for (Map.Entry<String, String> e : revokedRefresh.entrySet()) {
            assertThat(client.refresh(e.getValue()).error()).as(e.getKey()).isEqualTo("invalid_grant");
        }
    }

    void run(LoginLoad load) throws Exception {
        this.load = load;
        load.start();
        probing = true;
        prober("revoked-prober", 250, () -> {
            revokedAccess.forEach((label, token) -> probe(Target.REVOKED_ACCESS, label,
                    () -> client.call(token, "/mobile/revoked")));
            revokedRefresh.forEach((label, token) -> probe(Target.REVOKED_REFRESH, label, () -> client.refresh(token)));
        });
        prober("rotating-prober", 500, () -> rotating.forEach((label, token) -> {
            Answer answer = probe(Target.ROTATING, label, () -> client.refresh(token));
            if (answer.ok()) {
                rotating.put(label, answer.tokens().refresh());
            }
        }));
        // Live tokens stay under the plan's 60 calls per minute per user: one call per user every 1.5 s.
        prober("live-prober", 1_500, () -> live.forEach((label, tokens) -> probe(Target.LIVE, label,
                () -> client.call(tokens.access(), "/mobile/live"))));
        try {
            load.awaitCycles(20, Duration.ofSeconds(120));
            awaitProbes(Target.LIVE, live.size() * 2);

            phase("down");
            killedAt = System.nanoTime();
            redis.kill();
            Thread.sleep(3_000); // longer than the gateway's 2 s staleness bound: nothing cached may be trusted now

            phase("restarted");
            restartedAt = System.nanoTime();
            redis.start();
            pollUntilReady();

            phase("ready");
            servedAgainAt = eventually(Duration.ofSeconds(60), () -> probes.stream()
                    .filter(p -> p.target() == Target.LIVE && p.phase().equals("ready") && p.answer().ok())
                    .map(p -> p.answer().receivedNanos()).findFirst().orElse(null), "a live token served again");
            phase("after");
            load.awaitCycles(load.cycles() + 20, Duration.ofSeconds(120));
            long after = probes.stream().filter(p -> p.phase().equals("after")).count();
            eventually(Duration.ofSeconds(30), () -> probes.stream().filter(p -> p.phase().equals("after")).count()
                    > after + live.size() * 2L ? true : null, "probes after the recovery");
        } finally {
            probing = false;
            for (Thread prober : probers) {
                prober.join(30_000);
            }
            load.close();
        }
    }

    /** The phase recorded with every probe and load request sent from now on. */
    private void phase(String name) {
        phase = name;
        load.phase(name);
    }

    private void pollUntilReady() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            long start = System.nanoTime();
            String state;
            try (Jedis jedis = redis.jedis()) {
                state = jedis.hget(RedisKeys.PROJECTION, RedisKeys.PROJECTION_STATE_FIELD);
            } catch (RuntimeException e) {
                state = "error";
            }
            polls.add(new Poll(start, System.nanoTime(), state));
            if (RedisKeys.PROJECTION_READY.equals(state)) {
                readyAt = System.nanoTime();
                return;
            }
            lastUnreadyPollStart = start;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the projection was not rebuilt within 120 s; states " + states());
            }
            Thread.sleep(20);
        }
    }

    void verify() throws Exception {
        String probeHistogram = histogram(p -> true);
        String loadHistogram = load.histogram(op -> true);
        log("2: probes %s", probeHistogram);
        log("2: load %s", loadHistogram);
        log("2: projection states after the restart %s", states());
        log("2: Redis down %d ms; restart to projection ready %d ms; kill to a live token served again %d ms "
                        + "(load %s)", (restartedAt - killedAt) / 1_000_000, (readyAt - restartedAt) / 1_000_000,
                (servedAgainAt - killedAt) / 1_000_000, loadAverage());

        // No token revoked before the crash is ever accepted, by the gateway or by token-api.
        for (Probe p : probes(p -> p.target() == Target.REVOKED_ACCESS)) {
            assertThat(p.answer().status()).as("revoked access token (%s) in phase %s", p.label(), p.phase())
                    .isIn(401, 503);
        }
        for (Probe p : probes(p -> p.target() == Target.REVOKED_REFRESH)) {
            assertThat(p.answer().status()).as("revoked refresh token (%s) in phase %s", p.label(), p.phase())
                    .isIn(400, 503);
        }
        // Live tokens: never 401 for the gateway's own fault; 503 while the state is unknown.
        for (Probe p : probes(p -> p.target() == Target.LIVE)) {
            assertThat(p.answer().status()).as("live token (%s) in phase %s", p.label(), p.phase()).isIn(200, 503);
        }
        assertThat(probes(p -> p.target() == Target.LIVE && p.answer().status() == 503)).as("503 while Redis was away")
                .isNotEmpty();
        for (String label : live.keySet()) {
            boolean unconfirmed = false;
            for (Probe p : probes(p -> p.target() == Target.LIVE && p.label().equals(label)
                    && p.answer().sentNanos() > killedAt && p.answer().receivedNanos() < restartedAt)) {
                assertThat(unconfirmed && p.answer().ok()).as("%s served again while Redis was still down", label)
                        .isFalse();
                unconfirmed |= p.answer().status() == 503;
            }
        }
        // After the restart and until the projection was ready, nobody could have confirmed a token's state.
        List<Answer> served = new ArrayList<>();
        probes(p -> p.target() == Target.LIVE).forEach(p -> served.add(p.answer()));
        load.ops(op -> op.kind() == Kind.CALL).forEach(op -> served.add(op.answer()));
        assertThat(served).as("gateway 200s answered between Redis' restart and a poll that still saw the projection "
                + "not ready").noneMatch(a -> a.ok() && a.receivedNanos() > restartedAt
                && a.receivedNanos() < lastUnreadyPollStart);
        assertThat(served).as("a 503 is temporarily_unavailable").filteredOn(a -> a.status() == 503)
                .allMatch(a -> "temporarily_unavailable".equals(a.error()));

        // The load: outside the fault everything is served; during it 503 (and, for refreshes during the rebuild,
        // invalid_grant for a family not yet rebuilt: token-api's known gap), never a 401 from the gateway.
        for (Op op : load.ops()) {
            Answer a = op.answer();
            boolean duringFault = a.receivedNanos() > killedAt && a.sentNanos() < servedAgainAt;
            if (!duringFault) {
                assertThat(a.status()).as("%s %s outside the fault: %s", op.kind(), op.user(), a.error()).isEqualTo(200);
            } else if (op.kind() == Kind.REFRESH && a.status() == 400) {
                assertThat(a.error()).isEqualTo("invalid_grant");
                assertThat(a.sentNanos()).as("invalid_grant only for a refresh sent after the restart, before ready")
                        .isGreaterThan(restartedAt).isLessThan(readyAt);
            } else {
                assertThat(a.status()).as("%s %s during the fault", op.kind(), op.user()).isIn(200, 503);
            }
        }
        // Families refreshed all along: rotated whenever Redis can confirm the token; while the projection is
        // rebuilt, token-api may not find a family yet (invalid_grant, nothing changed); never a family lost.
        for (Probe p : probes(p -> p.target() == Target.ROTATING)) {
            Answer a = p.answer();
            boolean duringFault = a.receivedNanos() > killedAt && a.sentNanos() < readyAt;
            if (a.status() == 400) {
                assertThat(a.error()).isEqualTo("invalid_grant");
                assertThat(a.sentNanos()).as("invalid_grant for %s's current refresh token only while the projection "
                        + "was being rebuilt", p.label()).isGreaterThan(restartedAt).isLessThan(readyAt);
            } else {
                assertThat(a.status()).as("refresh of %s's current token in phase %s", p.label(), p.phase())
                        .isIn(duringFault ? List.of(200, 503) : List.of(200));
            }
        }
        long rebuildRefusals = load.ops(op -> op.kind() == Kind.REFRESH && op.answer().status() == 400).size()
                + probes(p -> p.target() == Target.ROTATING && p.answer().status() == 400).size();
        log("2: refreshes of current tokens answered invalid_grant while the projection was rebuilt: %d (of %d "
                        + "sent after the restart and answered before it was ready)", rebuildRefusals,
                probes(p -> p.target() == Target.ROTATING && p.answer().sentNanos() > restartedAt
                        && p.answer().receivedNanos() < readyAt).size() + load.ops(op -> op.kind() == Kind.REFRESH
                        && op.answer().sentNanos() > restartedAt && op.answer().receivedNanos() < readyAt).size());
        for (Map.Entry<String, String> e : rotating.entrySet()) {
            assertThat(client.refresh(e.getValue()).status()).as("%s's family after the rebuild", e.getKey())
                    .isEqualTo(200);
        }

        // Refresh families survive: each live family's refresh token from before the crash still rotates.
        for (Map.Entry<String, Tokens> e : live.entrySet()) {
            Tokens next = ok(client.refresh(e.getValue().refresh()), "refresh of " + e.getKey() + " after the rebuild");
            assertThat(next.sid()).isEqualTo(e.getValue().sid());
            assertThat(client.call(next.access(), "/mobile/live").status()).isEqualTo(200);
        }
        // And every revocation is enforced again, by both.
        for (Map.Entry<String, String> e : revokedAccess.entrySet()) {
            assertThat(client.call(e.getValue(), "/mobile/revoked").status()).as(e.getKey()).isEqualTo(401);
        }
        for (Map.Entry<String, String> e : revokedRefresh.entrySet()) {
            assertThat(client.refresh(e.getValue()).error()).as(e.getKey()).isEqualTo("invalid_grant");
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private Answer probe(Target target, String label, Supplier<Answer> send) {
        String sent = phase;
        Answer answer = send.get();
        probes.add(new Probe(target, label, sent, answer));
        return answer;
    }

    private void prober(String name, long pauseMillis, Runnable round) {
        Thread thread = new Thread(() -> {
            while (probing) {
                round.run();
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, name);
        thread.setDaemon(true);
        probers.add(thread);
        thread.start();
    }

    private void awaitProbes(Target target, int count) throws Exception {
        eventually(Duration.ofSeconds(60), () -> probes(p -> p.target() == target).size() >= count ? true : null,
                count + " probes of " + target);
    }

    private List<Probe> probes(Predicate<Probe> filter) {
        return probes.stream().filter(filter).toList();
    }

    private String histogram(Predicate<Probe> filter) {
        Map<String, Long> counts = probes.stream().filter(filter).collect(Collectors.groupingBy(
                p -> p.target() + " " + p.phase() + " " + p.answer().status()
                        + (p.answer().error() == null ? "" : " " + p.answer().error()),
                TreeMap::new, Collectors.counting()));
        return counts.entrySet().stream().map(e -> e.getKey() + " × " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** The projection states seen after the restart, run-length encoded: "error × 3, null × 12, rebuilding × 4, ready". */
    private String states() {
        List<String> out = new ArrayList<>();
        String last = "";
        int run = 0;
        for (Poll poll : polls) {
            String state = String.valueOf(poll.state());
            if (state.equals(last)) {
                run++;
                continue;
            }
            if (run > 0) {
                out.add(last + " × " + run);
            }
            last = state;
            run = 1;
        }
        if (run > 0) {
            out.add(last + " × " + run);
        }
        return String.join(", ", out);
    }

    private Tokens loginOk(int n) {
        return ok(client.login(user(n), password(n)), "login of " + user(n));
    }

    private static Tokens ok(Answer answer, String what) {
        assertThat(answer.status()).as(what + ": " + answer.error()).isEqualTo(200);
        return answer.tokens();
    }
}
