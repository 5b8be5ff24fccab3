package io.tollgate.ops.stack;

import io.tollgate.testkit.RedisServer;

/** Reuses a Redis that answers PING on the configured address, else starts testkit's {@link RedisServer} there. */
final class RedisPart extends Part {
    private RedisServer server;
    private boolean reused;

    RedisPart(StackConfig config) {
        super("redis", config);
    }

    @Override
    public void start() throws Exception {
        if (healthy()) {
            reused = true;
            return;
        }
        server = RedisServer.at(config.redisHost, config.redisPort, config.dataDir().resolve("redis"),
                config.logs().resolve("redis.log")).start();
    }

    @Override
    public boolean healthy() {
        return RedisServer.answers(config.redisHost, config.redisPort);
    }

    @Override
    public boolean exited() {
        return server != null && !server.isRunning();
    }

    boolean reused() {
        return reused;
    }

    @Override
    public String endpoint() {
        return "redis://" + config.redisHost + ":" + config.redisPort + (reused ? " (existing server, reused)" : "");
    }

    @Override
    public String log() {
        return reused ? "(not ours)" : config.logs().resolve("redis.log").toString();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(); // SIGTERM: redis-server exits cleanly
            server = null;
        }
    }
}
