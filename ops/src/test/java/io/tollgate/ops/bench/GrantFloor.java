package io.tollgate.ops.bench;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPURL;
import io.tollgate.shared.keys.SigningAlgorithm;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The floor of a token grant on this machine: per grant, one simple bind of a bench user against the directory,
 * one access-token-shaped JWT signature of the stack's algorithm ({@code alg}), and one Redis round trip (a {@code SET} with expiry), nothing else.
 * {@code threads} threads (each with its own LDAP and Redis connection) run grants for {@code warmup} seconds,
 * then for {@code seconds} measured seconds. Prints {@code RESULT ok=.. ok_per_s=.. p50_ms=.. p99_ms=.. cpu_ms=..
 * cpu_split=..}: CPU ms per grant of this JVM and of the processes named in {@code pids} (label:pid,..., read
 * from /proc). Run by {@code ops/bench/token-vs-keycloak.sh} against the stack's directory and Redis.
 */
public final class GrantFloor {
    private static final String LDAP = System.getProperty("ldap", "ldap://127.0.0.1:10389");
    private static final String USERS_DN = System.getProperty("usersDn", "ou=people,dc=tollgate,dc=test");
    private static final int USERS = Integer.getInteger("users", 1000);
    private static final String REDIS_HOST = System.getProperty("redisHost", "127.0.0.1");
    private static final int REDIS_PORT = Integer.getInteger("redisPort", 6379);
    private static final JWSAlgorithm ALG = JWSAlgorithm.parse(System.getProperty("alg", "EdDSA"));
    private static final int THREADS = Integer.getInteger("threads", 16);
    private static final int WARMUP = Integer.getInteger("warmup", 10);
    private static final int SECONDS = Integer.getInteger("seconds", 20);
    private static final String PIDS = System.getProperty("pids", "");
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private GrantFloor() {
    }

    public static void main(String[] args) throws Exception {
        JWSSigner signer = signer();
        LDAPURL url = new LDAPURL(LDAP);
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger next = new AtomicInteger();
        List<long[]> latencies = new ArrayList<>();
        List<AtomicInteger> counts = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(THREADS);
        for (int t = 0; t < THREADS; t++) {
            long[] mine = new long[200_000];
            AtomicInteger count = new AtomicInteger();
            latencies.add(mine);
            counts.add(count);
            Thread thread = new Thread(() -> {
                try (LDAPConnection ldap = new LDAPConnection(url.getHost(), url.getPort());
                     Jedis redis = new Jedis(REDIS_HOST, REDIS_PORT)) {
                    while (!stop.get()) {
                        int i = next.getAndIncrement() % USERS + 1;
                        long start = System.nanoTime();
                        grant(ldap, redis, signer, i);
                        long took = System.nanoTime() - start;
                        if (measuring.get() && count.get() < mine.length) {
                            mine[count.getAndIncrement()] = took;
                        }
                    }
                } catch (Exception e) {
                    System.err.println("grant thread failed: " + e);
                } finally {
                    done.countDown();
                }
            }, "grant-floor-" + t);
            thread.setDaemon(true);
            thread.start();
        }
        Thread.sleep(WARMUP * 1000L);
        Map<String, Long> before = cpuTicks();
        long started = System.nanoTime();
        measuring.set(true);
        Thread.sleep(SECONDS * 1000L);
        measuring.set(false);
        double elapsed = (System.nanoTime() - started) / 1e9;
        Map<String, Long> after = cpuTicks();
        stop.set(true);
        done.await();

        int ok = counts.stream().mapToInt(AtomicInteger::get).sum();
        long[] all = new long[ok];
        int at = 0;
        for (int t = 0; t < THREADS; t++) {
            System.arraycopy(latencies.get(t), 0, all, at, counts.get(t).get());
            at += counts.get(t).get();
        }
        Arrays.sort(all);
        StringBuilder split = new StringBuilder();
        double cpuMs = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
            double ms = (e.getValue() - before.getOrDefault(e.getKey(), e.getValue())) * 1000.0
                    / CLOCK_TICKS_PER_SECOND / Math.max(ok, 1);
            cpuMs += ms;
            split.append(split.length() == 0 ? "" : ",").append(e.getKey()).append(':')
                    .append(String.format("%.2f", ms));
        }
        System.out.printf("RESULT ok=%d ok_per_s=%.1f p50_ms=%.2f p99_ms=%.2f cpu_ms=%.2f cpu_split=%s%n", ok,
                ok / elapsed, percentile(all, 50), percentile(all, 99), cpuMs, split);
        System.exit(0);
    }

    private static void grant(LDAPConnection ldap, Jedis redis, JWSSigner signer, int i) throws Exception {
        String uid = String.format("user%04d", i);
        ldap.bind("uid=" + uid + "," + USERS_DN, String.format("pw-%04d", i));
        Instant now = Instant.now();
        String jti = UUID.randomUUID().toString();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("http://127.0.0.1:8080").subject(uid)
                .audience("mobile").claim("client_id", "demo-mobile").claim("scope", "read")
                .claim("sid", UUID.randomUUID().toString()).jwtID(jti).issueTime(Date.from(now))
                .notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(ALG).type(new JOSEObjectType("at+jwt"))
                .keyID("floor").build(), claims);
        jwt.sign(signer);
        jwt.serialize();
        redis.set("tg:floor:" + uid, jti, SetParams.setParams().ex(60));
    }

    /** A new key of the stack's algorithm and its signer, as token-api makes them. */
    private static JWSSigner signer() {
        SigningAlgorithm algorithm = SigningAlgorithm.valueOf(ALG.getName());
        return algorithm.signer(algorithm.generate(Instant.now()));
    }

    /** utime + stime in clock ticks of this JVM ({@code floor}) and of each label:pid of {@code pids}. */
    private static Map<String, Long> cpuTicks() throws Exception {
        Map<String, Long> ticks = new LinkedHashMap<>();
        ticks.put("floor", ticks("self"));
        for (String entry : PIDS.split(",")) {
            String[] pair = entry.split(":");
            if (pair.length == 2 && !pair[1].isBlank()) {
                ticks.put(pair[0], ticks(pair[1]));
            }
        }
        return ticks;
    }

    private static long ticks(String pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static double percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(index, 0)] / 1e6;
    }
}
