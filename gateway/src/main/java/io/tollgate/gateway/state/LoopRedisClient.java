package io.tollgate.gateway.state;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.ErrorRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.IntegerRedisMessage;
import io.netty.handler.codec.redis.RedisArrayAggregator;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.handler.codec.redis.RedisEncoder;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import io.tollgate.shared.concurrent.DaemonThreads;
import io.tollgate.shared.redis.RedisEndpoint;
import redis.clients.jedis.HostAndPort;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A minimal RESP client with one connection per Netty event loop, used by the rate limiter so a request's
 * Redis call is written and answered on the request's own thread: no hand-off, and everything a loop
 * writes in one pass goes out in one flush (natural pipelining). Replies arrive in order, so callbacks
 * are a FIFO. A call unanswered within the timeout, or a lost connection, fails every pending call with
 * null (the caller answers 503); the next call reconnects.
 *
 * <p>Every connection goes to the primary as the {@link RedisEndpoint} names it when connecting: behind Sentinels,
 * asked off the loop (a blocking client on a resolver thread) while the loop's calls wait, so a reconnect after a
 * failover finds the new primary. A {@code -READONLY} answer (a demoted primary, now a replica) and a failed AUTH
 * are a lost connection too. With TLS the server's certificate is checked against the endpoint's trust and its
 * host name in the handshake.
 */
final class LoopRedisClient {
    private final RedisEndpoint endpoint;
    private final long timeoutNanos;
    private final Class<? extends Channel> channelClass;
    private final FastThreadLocal<Connection> connections = new FastThreadLocal<>();
    /** Asks the Sentinels for the primary (blocking), never on an event loop; threads end when idle. */
    private final ExecutorService resolver =
            Executors.newCachedThreadPool(DaemonThreads.named("redis-primary-resolver"));

    LoopRedisClient(RedisEndpoint endpoint, Class<? extends Channel> channelClass) {
        this.endpoint = endpoint;
        this.timeoutNanos = endpoint.timeout().toNanos();
        this.channelClass = channelClass;
    }

    /** Sends {@code command}; {@code reply} gets the decoded reply (Long, String, List, RedisError) or null. Call on {@code loop}. */
    void send(EventLoop loop, List<String> command, Consumer<Object> reply) {
        Connection connection = connections.get();
        if (connection == null || connection.closed) {
            connection = new Connection(loop);
            connections.set(connection);
        }
        connection.send(command, reply);
    }

    /** An error reply, e.g. {@code NOSCRIPT ...}. */
    record RedisError(String message) {
        /** A replica refusing a write, also as the error of a script's write. */
        boolean readOnly() {
            return message != null && message.startsWith("READONLY");
        }
    }

    private final class Connection {
        private final EventLoop loop;
        private final ArrayDeque<Pending> pending = new ArrayDeque<>();
        private final List<Object> unsent = new ArrayList<>();
        private Channel channel;
        private boolean connected;
        private boolean closed;
        private ScheduledFuture<?> watchdog;

        private record Pending(Consumer<Object> reply, long sentNanos) {
        }

        Connection(EventLoop loop) {
            this.loop = loop;
            for (List<String> command : endpoint.handshake()) {
                // AUTH refused or SELECT failed: nothing sent on this connection could succeed
                enqueue(command, reply -> {
                    if (!"OK".equals(reply)) {
                        fail();
                    }
                });
            }
            long period = Math.max(1_000_000, timeoutNanos / 4);
            watchdog = loop.scheduleAtFixedRate(this::checkTimeout, period, period, TimeUnit.NANOSECONDS);
            if (!endpoint.usesSentinel()) {
                connect(endpoint.primary());
                return;
            }
            try {
                resolver.execute(() -> {
                    HostAndPort primary;
                    try {
                        primary = endpoint.primary();
                    } catch (RuntimeException e) {
                        loop.execute(this::fail);
                        return;
                    }
                    loop.execute(() -> connect(primary));
                });
            } catch (RuntimeException e) {
                fail();
            }
        }

        private void connect(HostAndPort primary) {
            if (closed) {
                return;
            }
            ChannelFuture future = new Bootstrap().group(loop).channel(channelClass)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, timeoutNanos / 1_000_000))
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            if (endpoint.tls()) {
                                // writes wait in the handler until the handshake (trust and host name) succeeds
                                ch.pipeline().addLast(new SslHandler(
                                        endpoint.newClientEngine(primary.getHost(), primary.getPort())));
                            }
                            ch.pipeline().addLast(new RedisDecoder(), new RedisBulkStringAggregator(),
                                    new RedisArrayAggregator(), new RedisEncoder(), new ReplyHandler());
                        }
                    }).connect(primary.getHost(), primary.getPort());
            channel = future.channel();
            future.addListener(f -> {
                if (!f.isSuccess()) {
                    fail();
                    return;
                }
                if (closed) {
                    return;
                }
                connected = true;
                for (Object message : unsent) {
                    channel.write(message);
                }
                unsent.clear();
                channel.flush();
            });
        }

        void send(List<String> command, Consumer<Object> reply) {
            enqueue(command, reply);
        }

        private void enqueue(List<String> command, Consumer<Object> reply) {
            List<RedisMessage> parts = new ArrayList<>(command.size());
            for (String part : command) {
                parts.add(new FullBulkStringRedisMessage(ByteBufUtil.writeUtf8(ByteBufAllocator.DEFAULT, part)));
            }
            ArrayRedisMessage message = new ArrayRedisMessage(parts);
            pending.add(new Pending(reply, System.nanoTime()));
            if (connected) {
                // flushed at the end of this loop pass: every call of the pass shares one write; no promise per
                // command: a failed write reaches ReplyHandler.exceptionCaught, which fails the connection
                channel.write(message, channel.voidPromise());
                if (!flushScheduled) {
                    flushScheduled = true;
                    loop.execute(this::flush);
                }
            } else {
                unsent.add(message);
            }
        }

        private boolean flushScheduled;

        private void flush() {
            flushScheduled = false;
            if (!closed) {
                channel.flush();
            }
        }

        private void checkTimeout() {
            Pending head = pending.peek();
            if (head != null && System.nanoTime() - head.sentNanos() > timeoutNanos) {
                fail();
            }
        }

        private void fail() {
            if (closed) {
                return;
            }
            closed = true;
            watchdog.cancel(false);
            for (Object message : unsent) {
                ReferenceCountUtil.release(message);
            }
            unsent.clear();
            if (channel != null) {
                channel.close();
            }
            while (!pending.isEmpty()) {
                pending.poll().reply().accept(null);
            }
        }

        private final class ReplyHandler extends SimpleChannelInboundHandler<RedisMessage> {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, RedisMessage msg) {
                Object reply = decode(msg);
                if (reply instanceof RedisError error && error.readOnly()) {
                    fail(); // a demoted primary: reconnect to the one the Sentinels name now
                    return;
                }
                Pending head = pending.poll();
                if (head != null) {
                    head.reply().accept(reply);
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                fail();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                fail();
            }
        }
    }

    private static Object decode(RedisMessage msg) {
        if (msg instanceof IntegerRedisMessage integer) {
            return integer.value();
        }
        if (msg instanceof ErrorRedisMessage error) {
            return new RedisError(error.content());
        }
        if (msg instanceof FullBulkStringRedisMessage bulk) {
            return bulk.isNull() ? null : bulk.content().toString(StandardCharsets.UTF_8);
        }
        if (msg instanceof ArrayRedisMessage array) {
            List<Object> out = new ArrayList<>(array.children().size());
            for (RedisMessage child : array.children()) {
                out.add(decode(child));
            }
            return out;
        }
        if (msg instanceof io.netty.handler.codec.redis.SimpleStringRedisMessage simple) {
            return simple.content();
        }
        return null;
    }
}
