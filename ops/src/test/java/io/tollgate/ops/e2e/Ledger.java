package io.tollgate.ops.e2e;

import io.tollgate.ops.e2e.ClusterLoad.Login;
import io.tollgate.ops.e2e.ClusterLoad.User;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.shared.redis.RedisKeys.Window;
import org.assertj.core.api.SoftAssertions;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static io.tollgate.ops.e2e.ClusterLoad.awaitCondition;

/**
 * The exact reconciliation of a {@link ClusterLoad} with what the system recorded: one {@code login.succeeded} and
 * one policy decision per login (from the topics, {@link EventTally}), every revocation in Redis, every token
 * answered as its ledger says at every live gateway, and {@code api.call} events and the usage counts in Redis per
 * user equal to the answers the gateways gave. Successive loads on one system add up: the ledger keeps the answers
 * of every load reconciled so far.
 */
final class Ledger {
    private final EventTally tally;
    private final Supplier<Jedis> redis;
    private final Duration patience;
    /** Gateway answers of every load so far whose api.call events reached Kafka (all but a killed gateway's lost ones). */
    private long answeredSoFar;

    Ledger(EventTally tally, Supplier<Jedis> redis, Duration patience) {
        this.tally = tally;
        this.redis = redis;
        this.patience = patience;
    }

    /** What a check counted, and what did not add up. */
    record Outcome(int users, int logins, long answered, int familiesRevoked, Verified verified, long lost,
                   int failovers, List<String> mismatches) {
        void assertExact(ClusterLoad load, String noticed) {
            List<String> users = load.noticed();
            users.stream().limit(20).forEach(line -> System.out.println("  noticed: " + line));
            mismatches.forEach(line -> System.out.println("  mismatch: " + line));
            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(users).as(noticed).isEmpty();
            softly.assertThat(mismatches).as("what did not add up").isEmpty();
            softly.assertAll();
        }

        @Override
        public String toString() {
            return String.format("%d users, %d logins, %d gateway answers%s, %d families revoked by the device "
                    + "limit, %d final calls with revoked tokens refused (%d answered 200 before, while propagating), "
                    + "%d mismatches", users, logins, answered,
                    lost > 0 ? " (" + lost + " of them lost with the killed gateway)" : "", familiesRevoked,
                    verified.refused(), verified.lateRefusals(), mismatches.size());
        }
    }

    /**
     * Waits for the pipeline to catch up with the load, calls every token at every live gateway, then compares:
     * login events and decisions per login, revocations in Redis, api.call events and usage per user (exactly for the
     * users {@code exact} accepts; for the others, between the answers of the gateways still alive and all answers).
     */
    Outcome reconcile(ClusterLoad load, List<String> live, Predicate<User> exact) throws Exception {
        List<User> users = load.users();
        List<Login> logins = users.stream().flatMap(u -> u.logins.stream()).toList();
        List<String> mismatches = new ArrayList<>();
        Supplier<List<String>> undecided = () -> {
            tally.catchUp();
            return logins.stream().filter(l -> tally.decisions(l.sid()) == 0 || tally.logins(l.sid()) == 0)
                    .map(l -> l.user() + " login " + l.index() + ": " + tally.logins(l.sid()) + " login.succeeded, "
                            + tally.decisions(l.sid()) + " decisions").toList();
        };
        awaitEmpty(undecided, "a login.succeeded event and a policy decision for each of " + logins.size()
                + " logins", mismatches);
        awaitEmpty(() -> revocationsProjected(users), "every revocation in Redis", mismatches);

        Verified verified = verify(load, users, live, mismatches);
        long answered = users.stream().mapToLong(u -> u.answered.get()).sum();
        answeredSoFar += answered;

        // Usage and api.call events per user: exactly the answers for the exact users; for the others, the same on
        // the topic as in Redis, at least their live gateways' answers and at most every request they sent.
        List<Long> days = days();
        long apiLow = answeredSoFar - users.stream().filter(exact.negate())
                .mapToLong(u -> u.answered.get() - answeredByLive(u, live)).sum();
        long apiHigh = answeredSoFar + users.stream().filter(exact.negate()).mapToLong(u -> u.unanswered.get()).sum();
        List<String> usageMismatches = new ArrayList<>();
        try {
            awaitCondition(() -> {
                tally.catchUp();
                usageMismatches.clear();
                Map<String, Long> usage = usages(users, days);
                for (User u : users) {
                    long low = exact.test(u) ? u.answered.get() : answeredByLive(u, live);
                    long high = exact.test(u) ? u.answered.get() : u.answered.get() + u.unanswered.get();
                    long counted = usage.get(u.name);
                    int calls = tally.calls(u.name);
                    if (counted < low || counted > high || calls != counted) {
                        usageMismatches.add(u.name + ": usage " + counted + ", " + calls + " api.call events, "
                                + (low == high ? low + " answers" : "expected " + low + ".." + high));
                    }
                }
                long api = apiUsage(days);
                if (api < apiLow || api > apiHigh) {
                    usageMismatches.add("usage of (" + DemoRegistry.CLIENT_ID + ", " + DemoRegistry.API + "): " + api
                            + ", expected " + (apiLow == apiHigh ? apiLow : apiLow + ".." + apiHigh));
                }
                return usageMismatches.isEmpty();
            }, patience, "usage counts");
        } catch (AssertionError e) {
            mismatches.add(e.getMessage());
            mismatches.addAll(usageMismatches);
        }
        Map<String, Long> usage = usages(users, days);
        long lost = users.stream().filter(exact.negate()).mapToLong(u -> Math.max(0, u.answered.get()
                - usage.get(u.name))).sum();
        answeredSoFar -= lost;
        tally.catchUp();
        for (Login l : logins) {
            if (tally.logins(l.sid()) != 1 || tally.decisions(l.sid()) != 1) {
                mismatches.add(l.user() + " login " + l.index() + ": " + tally.logins(l.sid()) + " login.succeeded, "
                        + tally.decisions(l.sid()) + " decisions");
            }
        }
        mismatches.addAll(load.violations());
        int familiesRevoked = users.stream().mapToInt(u -> u.overTheLimit().size()).sum();
        return new Outcome(users.size(), logins.size(), answered, familiesRevoked, verified, lost, load.failovers(),
                mismatches.size() > 20 ? mismatches.subList(0, 20) : mismatches);
    }

    /** Polls until {@code problems} is empty; after {@link #patience}, records what is still wrong. */
    private void awaitEmpty(Supplier<List<String>> problems, String what, List<String> mismatches)
            throws InterruptedException {
        try {
            awaitCondition(() -> problems.get().isEmpty(), patience, what);
        } catch (AssertionError e) {
            mismatches.add(e.getMessage());
            mismatches.addAll(problems.get());
        }
    }

    /** Each user's families over the device limit revoked in Redis, her newest three not (or all by the operator). */
    private List<String> revocationsProjected(List<User> users) {
        List<String> missing = new ArrayList<>();
        try (Jedis jedis = redis.get()) {
            Pipeline pipe = jedis.pipelined();
            Map<Login, Response<Boolean>> revoked = new HashMap<>();
            Map<User, Response<String>> userNotBefore = new HashMap<>();
            for (User u : users) {
                userNotBefore.put(u, pipe.get(RedisKeys.userNotBefore(u.name)));
                for (Login l : u.logins) {
                    revoked.put(l, pipe.exists(RedisKeys.revokedFamily(l.sid())));
                }
            }
            pipe.sync();
            for (User u : users) {
                if (u.operatorRevoked && userNotBefore.get(u).get() == null) {
                    missing.add(u.name + ": no user revocation in Redis");
                }
                for (Login l : u.logins) {
                    boolean overLimit = u.overTheLimit().contains(l);
                    if (overLimit != revoked.get(l).get()) {
                        missing.add(u.name + " login " + l.index() + (overLimit ? ": over the device limit, not revoked"
                                : ": among the newest three, revoked"));
                    }
                }
            }
        }
        return missing;
    }

    /** What the final calls found: revoked tokens refused, and 200s some got first (a revocation still propagating). */
    record Verified(int refused, int lateRefusals) {
    }

    /**
     * Every token of every user at every live gateway: a live one must be answered 200; a revoked one is called
     * until the gateway refuses it (a revocation written to Redis a moment ago may still be on its way to the
     * gateway's cache: docs/README.md allows it 1 s), and the 200s it got first are counted. A revoked token the gateway
     * keeps admitting is a mismatch after {@link #patience}; one it admits after refusing it is a violation
     * ({@link ClusterLoad#violations()}).
     */
    private Verified verify(ClusterLoad load, List<User> users, List<String> live, List<String> mismatches)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger late = new AtomicInteger();
        List<Future<String>> checks = new ArrayList<>();
        for (User u : users) {
            for (Login l : u.logins) {
                for (String gateway : live) {
                    checks.add(pool.submit(() -> {
                        if (!u.revoked(l)) {
                            int status = load.call(u, l, gateway);
                            return status == 200 ? null : u.name + " login " + l.index() + " at " + gateway + ": "
                                    + status + ", expected 200";
                        }
                        long deadline = System.nanoTime() + patience.toNanos();
                        int status;
                        while ((status = load.call(u, l, gateway)) == 200 && System.nanoTime() < deadline) {
                            late.incrementAndGet();
                            Thread.sleep(50);
                        }
                        if (status == 401) {
                            refused.incrementAndGet();
                            return null;
                        }
                        return u.name + " login " + l.index() + " at " + gateway + ": " + status + ", expected 401";
                    }));
                }
            }
        }
        for (Future<String> check : checks) {
            String wrong = check.get();
            if (wrong != null) {
                mismatches.add(wrong);
            }
        }
        pool.shutdown();
        return new Verified(refused.get(), late.get());
    }

    private long answeredByLive(User u, Collection<String> live) {
        return live.stream().mapToLong(u::answeredBy).sum();
    }

    /** The day windows the checks can have counted in (today, and yesterday around midnight). */
    private List<Long> days() {
        long now = Instant.now().getEpochSecond();
        return Stream.of(now - 900, now + 60).map(Window.DAY::start).distinct().toList();
    }

    /** Each user's calls counted in Redis (day windows). */
    private Map<String, Long> usages(List<User> users, List<Long> days) {
        try (Jedis jedis = redis.get()) {
            Pipeline pipe = jedis.pipelined();
            Map<String, List<Response<String>>> answers = new HashMap<>();
            for (User u : users) {
                List<Response<String>> perDay = new ArrayList<>();
                for (long day : days) {
                    perDay.add(pipe.get(RedisKeys.usage(DemoRegistry.CLIENT_ID, u.name, Window.DAY, day)));
                }
                answers.put(u.name, perDay);
            }
            pipe.sync();
            Map<String, Long> usage = new HashMap<>();
            answers.forEach((user, perDay) -> usage.put(user, perDay.stream().map(Response::get)
                    .mapToLong(v -> v == null ? 0 : Long.parseLong(v)).sum()));
            return usage;
        }
    }

    private long apiUsage(List<Long> days) {
        try (Jedis jedis = redis.get()) {
            long sum = 0;
            for (long day : days) {
                String v = jedis.get(RedisKeys.apiUsage(DemoRegistry.CLIENT_ID, DemoRegistry.API, Window.DAY, day));
                sum += v == null ? 0 : Long.parseLong(v);
            }
            return sum;
        }
    }
}
