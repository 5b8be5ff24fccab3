package io.tollgate.testkit;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A primary with one replica and three Sentinels (quorum 2), every one a {@link RedisServer} on a free port, for
 * tests of a failover: {@link #failover()} asks the Sentinels to promote the replica and waits until the old primary
 * is its replica, {@link #killPrimary()} SIGKILLs the primary and {@link #pausePrimary()} SIGSTOPs it, each waiting
 * until the Sentinels have promoted the replica.
 * Waits are bounded and fail with what was awaited.
 */
public final class RedisSentinelGroup implements AutoCloseable {
    public static final String MASTER_NAME = "tollgate";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<RedisServer> dataNodes = new ArrayList<>();
    private final List<RedisServer> sentinels = new ArrayList<>();

    private RedisSentinelGroup() {
    }

    /** Starts the group; {@code tls} (null: plain text) applies to every node and Sentinel. */
    public static RedisSentinelGroup start(RedisServer.Tls tls) {
        RedisSentinelGroup group = new RedisSentinelGroup();
        try {
            RedisServer primary = RedisServer.create().tls(tls).start();
            group.dataNodes.add(primary);
            RedisServer replica = RedisServer.create().tls(tls).replicaOf(primary).start();
            group.dataNodes.add(replica);
            group.await(() -> linkUp(replica), "the replica is in sync with the primary");
            for (int i = 0; i < 3; i++) {
                group.sentinels.add(RedisServer.sentinel(MASTER_NAME, primary, 2).start());
            }
            group.awaitSentinelsAgree();
            return group;
        } catch (RuntimeException e) {
            group.close();
            throw e;
        }
    }

    /** The Sentinels as {@code host:port}, the form of {@code redis.sentinel.nodes}. */
    public List<String> sentinelNodes() {
        return sentinels.stream().map(s -> s.host() + ":" + s.port()).toList();
    }

    /** The data node the Sentinels name primary now. */
    public RedisServer primary() {
        HostAndPort address = askSentinel();
        return dataNodes.stream().filter(n -> n.port() == address.getPort()).findFirst()
                .orElseThrow(() -> new IllegalStateException("the Sentinels name an unknown primary " + address));
    }

    /** {@code SENTINEL FAILOVER}: the replica is promoted, the old primary demoted; returns the new primary. */
    public RedisServer failover() {
        RedisServer old = primary();
        try (Jedis sentinel = sentinels.get(0).jedis()) {
            sentinel.sentinelFailover(MASTER_NAME);
        }
        RedisServer promoted = awaitNewPrimary(old);
        // Until the Sentinels reconfigure it, the old primary still takes writes (and loses them when it is):
        // the failover is over once it is a replica.
        await(() -> role(old).equals("slave"), "the old primary is demoted to a replica");
        return promoted;
    }

    /** SIGKILLs the primary; returns the replica once the Sentinels have promoted it. */
    public RedisServer killPrimary() {
        RedisServer old = primary();
        old.kill();
        return awaitNewPrimary(old);
    }

    /**
     * SIGSTOPs the primary (its connections stay open, unanswered: a host cut off); returns the replica once the
     * Sentinels have promoted it. The old primary stays paused until {@link #resumeAsReplica(RedisServer)}.
     */
    public RedisServer pausePrimary() {
        RedisServer old = primary();
        old.pause();
        return awaitNewPrimary(old);
    }

    /** SIGCONTs a paused old primary and waits until the Sentinels have made it a replica in sync. */
    public void resumeAsReplica(RedisServer paused) {
        paused.resume();
        await(() -> role(paused).equals("slave") && linkUp(paused), "the resumed old primary is a replica in sync");
    }

    private RedisServer awaitNewPrimary(RedisServer old) {
        await(() -> {
            try {
                return askSentinel().getPort() != old.port();
            } catch (RuntimeException e) {
                return false;
            }
        }, "the Sentinels name a new primary");
        RedisServer promoted = primary();
        await(() -> role(promoted).equals("master"), "the promoted replica reports itself primary");
        return promoted;
    }

    private void awaitSentinelsAgree() {
        await(() -> {
            for (RedisServer sentinel : sentinels) {
                try (Jedis jedis = sentinel.jedis()) {
                    List<Map<String, String>> replicas = jedis.sentinelReplicas(MASTER_NAME);
                    List<Map<String, String>> others = jedis.sentinelSentinels(MASTER_NAME);
                    if (replicas.isEmpty() || others.size() < sentinels.size() - 1) {
                        return false;
                    }
                } catch (RuntimeException e) {
                    return false;
                }
            }
            return true;
        }, "every Sentinel knows the replica and the other Sentinels");
    }

    private HostAndPort askSentinel() {
        RuntimeException failure = new IllegalStateException("no Sentinel answers");
        for (RedisServer sentinel : sentinels) {
            try (Jedis jedis = sentinel.jedis()) {
                List<String> address = jedis.sentinelGetMasterAddrByName(MASTER_NAME);
                return new HostAndPort(address.get(0), Integer.parseInt(address.get(1)));
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
        throw failure;
    }

    private static boolean linkUp(RedisServer replica) {
        try (Jedis jedis = replica.jedis()) {
            return jedis.info("replication").contains("master_link_status:up");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String role(RedisServer node) {
        try (Jedis jedis = node.jedis()) {
            return String.valueOf(jedis.role().get(0));
        } catch (RuntimeException e) {
            return "unreachable";
        }
    }

    private void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within " + WAIT.toSeconds() + " s: " + what + "; logs in "
                        + sentinels.stream().map(RedisServer::log).toList());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        for (RedisServer sentinel : sentinels) {
            sentinel.close();
        }
        for (RedisServer node : dataNodes) {
            node.close();
        }
    }
}
