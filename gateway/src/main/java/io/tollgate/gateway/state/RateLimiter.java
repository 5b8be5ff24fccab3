package io.tollgate.gateway.state;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.redis.RedisKeys;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Per-(client, user) rate limits, app-wide limits and monthly quotas across every gateway node, with leased quota.
 *
 * <p>One Lua script claims quota for all of the plan's fixed windows (the user's minute, hour and day, the
 * application's minute and calendar month) at once and never beyond any window's limit, so the calls a node admits from what it claimed can never exceed the limit:
 * admitted ≤ limit by construction, on any number of nodes. Each event loop of each node is a lease
 * holder: it claims a chunk, admits calls locally from it (no Redis round trip), and claims again when the
 * chunk is spent. The chunk is {@code min(limit / 100, remaining / 2) / holders} (the live holders counted
 * in Redis; for an app-wide window, the application's (holder, user) leases counted in Redis), so the unused
 * leases of all holders together stay within 1% of the limit, and the chunk shrinks
 * with the remaining quota until it is the calls actually waiting, which is the old per-call exactness.
 * Calls that find no lease while a claim is in flight wait for it and are claimed together ({@code want});
 * a claim that finds a window exhausted rejects exactly the calls it was made for, and rejected calls never
 * count. A lease's unused quota goes back ({@code DECRBY}, in the next claim's script) when its windows roll
 * over, its plan changes, or it has been idle for {@link #IDLE_SECONDS}; what a lost node held simply
 * expires with its windows.
 */
public final class RateLimiter implements Managed {
    /**
     * KEYS = the n window counters, the n counters of the previous lease (refund targets), the holders zset, the
     * application's lease zset. ARGV = n, want, lease (1: add a lease chunk; 0: exactly {@code want}), refund,
     * holder, the lease's member in the application's zset ("" when no window is app-wide), then limit_i, ttl_i,
     * app_i (1: an app-wide window, whose chunk is divided among the application's leases). Returns {1, granted, count_1, ..., count_n} (counts after the claim), {0, i, count_i} when window i is
     * exhausted (nothing claimed), or {2} for a refund alone ({@code want} = 0).
     */
    static final String SCRIPT = """
            local n = tonumber(ARGV[1])
            local want = tonumber(ARGV[2])
            local lease = tonumber(ARGV[3])
            local refund = tonumber(ARGV[4])
            if refund > 0 then
              for i = 1, n do
                local c = tonumber(redis.call('GET', KEYS[n + i]) or '0')
                if c > 0 then
                  redis.call('DECRBY', KEYS[n + i], math.min(refund, c))
                end
              end
            end
            if want == 0 then
              return {2}
            end
            local holders = 1
            local leases = 1
            if lease > 0 then
              local now = tonumber(redis.call('TIME')[1])
              local hk = KEYS[2 * n + 1]
              redis.call('ZADD', hk, now, ARGV[5])
              redis.call('ZREMRANGEBYSCORE', hk, '-inf', now - 86400)
              redis.call('EXPIRE', hk, 90000)
              holders = redis.call('ZCARD', hk)
              if ARGV[6] ~= '' then
                local ak = KEYS[2 * n + 2]
                redis.call('ZADD', ak, now, ARGV[6])
                redis.call('ZREMRANGEBYSCORE', ak, '-inf', now - 86400)
                redis.call('EXPIRE', ak, 90000)
                leases = redis.call('ZCARD', ak)
              end
            end
            local grant = nil
            for i = 1, n do
              local limit = tonumber(ARGV[4 + 3 * i])
              local c = tonumber(redis.call('GET', KEYS[i]) or '0')
              local remaining = limit - c
              if remaining <= 0 then
                return {0, i, c}
              end
              local g = want
              if lease > 0 then
                local sharers = holders
                if ARGV[6 + 3 * i] == '1' then
                  sharers = leases
                end
                local chunk = math.floor(math.min(limit / 100, remaining / 2) / sharers)
                if chunk > g then
                  g = chunk
                end
              end
              if g > remaining then
                g = remaining
              end
              if grant == nil or g < grant then
                grant = g
              end
            end
            local out = {1, grant}
            for i = 1, n do
              local c = redis.call('INCRBY', KEYS[i], grant)
              if c == grant then
                redis.call('EXPIRE', KEYS[i], ARGV[5 + 3 * i])
              end
              out[#out + 1] = c
            end
            return out
            """;

    /** A lease unused this long gives its quota back (and is forgotten). */
    static final long IDLE_SECONDS = 60;
    private static final long SWEEP_SECONDS = 15;

    public record Decision(boolean admitted, long retryAfterSeconds, Map<String, String> headers) {
    }

    private static final Decision UNLIMITED = new Decision(true, 0, Map.of());

    /** One prepared script call for the Jedis sender thread (used outside the proxy's event loops). */
    private record Call(List<Limit> limits, List<String> keys, List<String> args, long[] resets, String policy,
                        Consumer<Decision> done) {
    }

    private static final int MAX_BATCH = 512;
    private final BlockingQueue<Call> queue = new LinkedBlockingQueue<>(100_000);
    private volatile boolean running;
    private Thread sender;

    /** SHA-1 of {@link #SCRIPT}, computed here: EVALSHA needs no SCRIPT LOAD round trip; NOSCRIPT falls back to EVAL. */
    static final String SCRIPT_SHA = sha1Hex(SCRIPT);

    private final JedisPool pool;
    private final String node;
    private volatile LoopRedisClient loopClient;
    private final LongSupplier clock;
    private final Counter admitted;
    private final Counter rejected;
    private final Counter claims;
    private volatile String sha;
    /** The leases of one event loop (loop-confined: no locks). */
    private final FastThreadLocal<Leases> leases = new FastThreadLocal<>();

    public RateLimiter(JedisPool pool, MetricRegistry metrics) {
        this(pool, "node", System::currentTimeMillis, metrics);
    }

    public RateLimiter(JedisPool pool, String node, MetricRegistry metrics) {
        this(pool, node, System::currentTimeMillis, metrics);
    }

    RateLimiter(JedisPool pool, String node, LongSupplier clockMillis, MetricRegistry metrics) {
        this.pool = pool;
        this.node = node;
        this.clock = clockMillis;
        this.admitted = metrics.counter("gateway.rate-limit.admitted");
        this.rejected = metrics.counter("gateway.rate-limit.rejected");
        this.claims = metrics.counter("gateway.rate-limit.claims");
    }

    /** Claims and admits on the request's own event loop (leases per loop) instead of the sender thread. */
    public void useEventLoops(String host, int port, String password, int database, java.time.Duration timeout,
                              Class<? extends io.netty.channel.Channel> channelClass) {
        this.loopClient = new LoopRedisClient(host, port, password, database, timeout, channelClass);
    }

    @Override
    public void start() {
        running = true;
        sender = new Thread(this::sendLoop, "rate-limit-sender");
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        if (sender != null) {
            sender.interrupt();
            sender.join(2_000);
        }
        for (Call call = queue.poll(); call != null; call = queue.poll()) {
            call.done().accept(null);
        }
    }

    /**
     * Decides the call; {@code done} gets the decision (on {@code loop}, or on the sender thread without a
     * loop), or null when the quota cannot be established (the caller answers 503: never unlimited).
     */
    public void acquireAsync(String client, String user, PlanRecord plan, EventLoop loop, Consumer<Decision> done) {
        if (Limit.none(plan)) {
            done.accept(UNLIMITED);
            return;
        }
        LoopRedisClient direct = loopClient;
        if (direct != null && loop != null) {
            if (!running) {
                done.accept(null);
            } else if (loop.inEventLoop()) {
                acquireOnLoop(direct, loop, client, user, plan, done);
            } else {
                loop.execute(() -> acquireOnLoop(direct, loop, client, user, plan, done));
            }
            return;
        }
        Call call = prepare(client, user, Limit.of(plan), done);
        if (!running || !queue.offer(call)) {
            done.accept(null);
        }
    }

    /** Runs the idle/rollover sweep of {@code loop}'s leases now (tests; it also runs every 15 s). */
    io.netty.util.concurrent.Future<?> sweep(EventLoop loop) {
        return loop.submit(() -> {
            Leases table = leases.get();
            if (table != null) {
                table.sweep(clock.getAsLong() / 1000);
            }
        });
    }

    // ---- leases (event-loop confined) ----

    /** The leases of one event loop, by client then user. */
    private final class Leases {
        final LoopRedisClient redis;
        final EventLoop loop;
        final String holder;
        final Map<String, Map<String, Lease>> byClient = new HashMap<>();

        Leases(LoopRedisClient redis, EventLoop loop) {
            this.redis = redis;
            this.loop = loop;
            this.holder = node + "/" + Thread.currentThread().getName();
            loop.scheduleAtFixedRate(() -> sweep(clock.getAsLong() / 1000), SWEEP_SECONDS, SWEEP_SECONDS,
                    TimeUnit.SECONDS);
        }

        /** Forgets leases whose windows have rolled over or that sat idle, giving their unused quota back. */
        void sweep(long now) {
            for (Iterator<Map<String, Lease>> clients = byClient.values().iterator(); clients.hasNext(); ) {
                Map<String, Lease> users = clients.next();
                for (Iterator<Lease> it = users.values().iterator(); it.hasNext(); ) {
                    Lease lease = it.next();
                    if (lease.inFlight || !lease.waiters.isEmpty()) {
                        continue;
                    }
                    if (lease.current(now) && now - lease.lastUsed < IDLE_SECONDS) {
                        continue;
                    }
                    it.remove();
                    if (lease.left > 0 || lease.refund > 0) {
                        lease.giveBack();
                        refundOnly(this, lease);
                    }
                }
                if (users.isEmpty()) {
                    clients.remove();
                }
            }
        }
    }

    /** What one holder (event loop) leased for one (client, user). */
    private final class Lease {
        final String client;
        final String user;
        PlanRecord plan;
        List<Limit> limits;
        PlanRecord nextPlan;
        List<Limit> nextLimits;
        String policy;
        /** This lease in the application's lease zset: "" without app-wide windows, null until first claimed. */
        String appMember;
        /** The application's lease zset (the global holders key, unread, without app-wide windows). */
        String appHolders;
        long[] starts;
        String[] keys;
        /** Counters after this holder's last claim. */
        long[] counts;
        /** Leased calls not yet admitted. */
        long left;
        /** Quota to give back on {@link #refundKeys} with the next script call. */
        long refund;
        String[] refundKeys;
        boolean inFlight;
        long lastUsed;
        final ArrayDeque<Consumer<Decision>> waiters = new ArrayDeque<>();

        Lease(String client, String user, PlanRecord plan, List<Limit> limits, long now) {
            this.client = client;
            this.user = user;
            reset(plan, limits, now);
        }

        private void reset(PlanRecord plan, List<Limit> limits, long now) {
            this.plan = plan;
            this.limits = limits;
            this.policy = RateLimitHeaders.policy(limits, now);
            boolean app = Limit.anyApp(limits);
            this.appMember = app ? null : "";
            this.appHolders = app ? RedisKeys.appRateLimitHolders(client) : RedisKeys.RATE_LIMIT_HOLDERS;
            this.starts = new long[limits.size()];
            this.keys = new String[limits.size()];
            this.counts = new long[limits.size()];
            for (int i = 0; i < limits.size(); i++) {
                Limit limit = limits.get(i);
                starts[i] = limit.window().start(now);
                keys[i] = limit.key(client, user, starts[i]);
            }
            this.left = 0;
        }

        boolean current(long now) {
            for (int i = 0; i < starts.length; i++) {
                if (limits.get(i).window().start(now) != starts[i]) {
                    return false;
                }
            }
            return true;
        }

        /** Moves the unused lease to the refund of the next script call. */
        void giveBack() {
            if (left > 0) {
                if (refund > 0 && refundKeys != keys) {
                    // an older refund is still pending on other keys: those windows are over, drop it
                    refund = 0;
                }
                refund += left;
                refundKeys = keys;
                left = 0;
            }
        }

        /** Starts over on the current windows (or a changed plan), giving the unused lease back. */
        void renew(PlanRecord plan, List<Limit> limits, long now) {
            giveBack();
            reset(plan, limits, now);
        }
    }

    private void acquireOnLoop(LoopRedisClient direct, EventLoop loop, String client, String user, PlanRecord plan,
                               Consumer<Decision> done) {
        Leases table = leases.get();
        if (table == null) {
            table = new Leases(direct, loop);
            leases.set(table);
        }
        long now = clock.getAsLong() / 1000;
        Map<String, Lease> users = table.byClient.computeIfAbsent(client, c -> new HashMap<>());
        Lease lease = users.get(user);
        if (lease == null) {
            lease = new Lease(client, user, plan, Limit.of(plan), now);
            users.put(user, lease);
        }
        lease.lastUsed = now;
        if (lease.plan != plan && lease.nextPlan != plan) {
            lease.nextPlan = plan; // applied before the next claim
            lease.nextLimits = Limit.of(plan);
        }
        lease.waiters.add(done);
        if (!lease.inFlight) {
            serve(table, lease, now);
        }
    }

    /** Admits waiting calls from the lease; claims for the rest (one claim in flight per lease). */
    private void serve(Leases table, Lease lease, long now) {
        if (lease.waiters.isEmpty()) {
            return;
        }
        if (lease.nextPlan != null) {
            if (!lease.nextLimits.equals(lease.limits)) {
                lease.renew(lease.nextPlan, lease.nextLimits, now);
            }
            lease.plan = lease.nextPlan;
            lease.nextPlan = null;
            lease.nextLimits = null;
        }
        if (!lease.current(now)) {
            lease.renew(lease.plan, lease.limits, now);
        }
        while (lease.left > 0 && !lease.waiters.isEmpty()) {
            lease.left--;
            lease.waiters.poll().accept(admit(lease, now));
        }
        if (!lease.waiters.isEmpty()) {
            // at the end of this loop pass, so every call of the pass that finds no lease joins one claim
            lease.inFlight = true;
            table.loop.execute(() -> claim(table, lease));
        }
    }

    private void claim(Leases table, Lease lease) {
        int n = lease.keys.length;
        int want = lease.waiters.size();
        List<String> command = new ArrayList<>(3 + 2 * n + 2 + 6 + 3 * n);
        command.add("EVALSHA");
        command.add(SCRIPT_SHA);
        command.add(Integer.toString(2 * n + 2));
        for (String key : lease.keys) {
            command.add(key);
        }
        String[] refundKeys = lease.refund > 0 && lease.refundKeys != null ? lease.refundKeys : lease.keys;
        for (String key : refundKeys) {
            command.add(key);
        }
        command.add(RedisKeys.RATE_LIMIT_HOLDERS);
        command.add(lease.appHolders);
        command.add(Integer.toString(n));
        command.add(Integer.toString(want));
        command.add("1");
        command.add(Long.toString(lease.refund));
        command.add(table.holder);
        if (lease.appMember == null) {
            lease.appMember = table.holder + "|" + lease.user;
        }
        command.add(lease.appMember);
        long now = clock.getAsLong() / 1000;
        for (int i = 0; i < n; i++) {
            Limit limit = lease.limits.get(i);
            command.add(Long.toString(limit.quota()));
            command.add(Long.toString(reset(limit, now) + 5));
            command.add(limit.app() ? "1" : "0");
        }
        // Whatever happens to this call, its refund is not sent twice (a lost refund only costs quota).
        lease.refund = 0;
        lease.refundKeys = null;
        lease.inFlight = true;
        claims.inc();
        String[] sentKeys = lease.keys;
        evalOnLoop(table, command, reply -> claimed(table, lease, sentKeys, want, reply));
    }

    private void claimed(Leases table, Lease lease, String[] sentKeys, int want, Object reply) {
        lease.inFlight = false;
        long now = clock.getAsLong() / 1000;
        List<?> result = reply instanceof List<?> list && !list.isEmpty() ? list : null;
        if (result == null) {
            // Redis cannot be asked: every waiting call is answered "unknown" (503), none is let through.
            while (!lease.waiters.isEmpty()) {
                lease.waiters.poll().accept(null);
            }
            return;
        }
        try {
            long status = ((Number) result.get(0)).longValue();
            if (status == 0) {
                int window = ((Number) result.get(1)).intValue() - 1;
                for (int i = 0; i < want && !lease.waiters.isEmpty(); i++) {
                    lease.waiters.poll().accept(reject(lease, window, now));
                }
            } else {
                long granted = ((Number) result.get(1)).longValue();
                boolean same = sentKeys == lease.keys;
                if (same) {
                    for (int i = 0; i < lease.counts.length; i++) {
                        lease.counts[i] = ((Number) result.get(2 + i)).longValue();
                    }
                }
                long served = Math.min(want, granted);
                if (same) {
                    lease.left += granted - served;
                } else if (granted > served) {
                    // the lease moved on (plan change) while the claim was out: give the surplus back
                    lease.refund += granted - served;
                    lease.refundKeys = sentKeys;
                }
                for (long i = 0; i < served && !lease.waiters.isEmpty(); i++) {
                    lease.waiters.poll().accept(admit(lease, now));
                }
                // The claim found less than the waiting calls: the last window it could fill is exhausted.
                for (long i = served; i < want && !lease.waiters.isEmpty(); i++) {
                    lease.waiters.poll().accept(reject(lease, tightest(lease), now));
                }
            }
        } catch (RuntimeException e) {
            while (!lease.waiters.isEmpty()) {
                lease.waiters.poll().accept(null);
            }
            return;
        }
        serve(table, lease, now); // calls that arrived while the claim was out
    }

    private void refundOnly(Leases table, Lease lease) {
        int n = lease.refundKeys.length;
        List<String> command = new ArrayList<>(3 + 2 * n + 2 + 6);
        command.add("EVALSHA");
        command.add(SCRIPT_SHA);
        command.add(Integer.toString(2 * n + 2));
        for (String key : lease.refundKeys) {
            command.add(key); // unused in a refund-only call
        }
        for (String key : lease.refundKeys) {
            command.add(key);
        }
        command.add(RedisKeys.RATE_LIMIT_HOLDERS);
        command.add(RedisKeys.RATE_LIMIT_HOLDERS); // unread in a refund-only call
        command.add(Integer.toString(n));
        command.add("0");
        command.add("0");
        command.add(Long.toString(lease.refund));
        command.add(table.holder);
        command.add("");
        lease.refund = 0;
        evalOnLoop(table, command, reply -> { });
    }

    private void evalOnLoop(Leases table, List<String> command, Consumer<Object> done) {
        table.redis.send(table.loop, command, reply -> {
            if (reply instanceof LoopRedisClient.RedisError error && error.message() != null
                    && error.message().startsWith("NOSCRIPT") && "EVALSHA".equals(command.get(0))) {
                List<String> eval = new ArrayList<>(command);
                eval.set(0, "EVAL"); // Redis restarted or flushed its scripts: nothing ran
                eval.set(1, SCRIPT);
                table.redis.send(table.loop, eval, done);
                return;
            }
            done.accept(reply);
        });
    }

    private Decision admit(Lease lease, long now) {
        admitted.inc();
        int tightest = tightest(lease);
        Limit limit = lease.limits.get(tightest);
        long remaining = limit.quota() - lease.counts[tightest] + lease.left;
        return new Decision(true, 0, Map.of(RateLimitHeaders.POLICY, lease.policy,
                RateLimitHeaders.RATE_LIMIT, RateLimitHeaders.field(limit, remaining, reset(limit, now))));
    }

    private Decision reject(Lease lease, int window, long now) {
        rejected.inc();
        Limit limit = lease.limits.get(window);
        long reset = reset(limit, now);
        return new Decision(false, reset, Map.of(RateLimitHeaders.POLICY, lease.policy,
                RateLimitHeaders.RATE_LIMIT, RateLimitHeaders.field(limit, 0, reset)));
    }

    /** The window with the least quota left as this holder knows it. */
    private static int tightest(Lease lease) {
        return RateLimitHeaders.tightest(lease.limits, lease.counts);
    }

    /** Seconds until {@code limit}'s window ends (at least 1): a month's lasts until the month's end in UTC. */
    private static long reset(Limit limit, long now) {
        return Math.max(1, limit.window().end(now) - now);
    }

    // ---- per-call claims over Jedis (outside the proxy: no event loop to hold a lease) ----

    private static String sha1Hex(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(40);
            for (byte b : digest) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Call prepare(String client, String user, List<Limit> limits, Consumer<Decision> done) {
        long now = clock.getAsLong() / 1000;
        int n = limits.size();
        List<String> keys = new ArrayList<>(2 * n + 2);
        List<String> args = new ArrayList<>(6 + 3 * n);
        long[] resets = new long[n];
        args.add(Integer.toString(n));
        args.add("1");
        args.add("0");
        args.add("0");
        args.add(node);
        args.add(""); // no lease: the zsets are not read
        for (int i = 0; i < n; i++) {
            Limit limit = limits.get(i);
            long start = limit.window().start(now);
            resets[i] = reset(limit, now);
            keys.add(limit.key(client, user, start));
            args.add(Long.toString(limit.quota()));
            args.add(Long.toString(resets[i] + 5));
            args.add(limit.app() ? "1" : "0");
        }
        keys.addAll(List.copyOf(keys));
        keys.add(RedisKeys.RATE_LIMIT_HOLDERS);
        keys.add(RedisKeys.appRateLimitHolders(client));
        return new Call(limits, keys, args, resets, RateLimitHeaders.policy(limits, now), done);
    }

    private void sendLoop() {
        List<Call> batch = new ArrayList<>(MAX_BATCH);
        while (running) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            List<?>[] results = new List<?>[batch.size()];
            try (Jedis jedis = pool.getResource()) {
                evalAll(jedis, batch, results);
            } catch (RuntimeException e) {
                // Redis unreachable: every waiting call is answered "unknown" (503), none is let through.
            }
            for (int i = 0; i < batch.size(); i++) {
                Call call = batch.get(i);
                Decision decision;
                try {
                    decision = results[i] == null ? null : decide(call, results[i]);
                } catch (RuntimeException e) {
                    decision = null;
                }
                call.done().accept(decision);
            }
            batch.clear();
        }
    }

    private void evalAll(Jedis jedis, List<Call> batch, List<?>[] results) {
        if (sha == null) {
            sha = jedis.scriptLoad(SCRIPT);
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            Pipeline pipeline = jedis.pipelined();
            List<Response<Object>> responses = new ArrayList<>(batch.size());
            for (Call call : batch) {
                responses.add(pipeline.evalsha(sha, call.keys(), call.args()));
            }
            pipeline.sync();
            boolean noScript = false;
            for (int i = 0; i < responses.size(); i++) {
                try {
                    results[i] = (List<?>) responses.get(i).get();
                } catch (JedisDataException e) {
                    if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
                        noScript = true; // nothing ran: Redis restarted or flushed its scripts
                        break;
                    }
                    results[i] = null;
                }
            }
            if (!noScript) {
                return;
            }
            sha = jedis.scriptLoad(SCRIPT);
        }
    }

    private Decision decide(Call call, List<?> result) {
        List<Limit> limits = call.limits();
        if (((Number) result.get(0)).longValue() == 1) {
            admitted.inc();
            long[] counts = new long[limits.size()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = ((Number) result.get(i + 2)).longValue();
            }
            int tightest = RateLimitHeaders.tightest(limits, counts);
            Limit limit = limits.get(tightest);
            return new Decision(true, 0, Map.of(RateLimitHeaders.POLICY, call.policy(), RateLimitHeaders.RATE_LIMIT,
                    RateLimitHeaders.field(limit, limit.quota() - counts[tightest], call.resets()[tightest])));
        }
        rejected.inc();
        int window = ((Number) result.get(1)).intValue() - 1;
        return new Decision(false, call.resets()[window], Map.of(RateLimitHeaders.POLICY, call.policy(),
                RateLimitHeaders.RATE_LIMIT, RateLimitHeaders.field(limits.get(window), 0, call.resets()[window])));
    }
}
