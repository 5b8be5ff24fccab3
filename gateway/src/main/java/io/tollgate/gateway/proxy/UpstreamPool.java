package io.tollgate.gateway.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Keep-alive HTTP/1.1 connections to upstreams, pooled per event loop: a client connection and its
 * upstream connection share one thread, so no lock and no hand-off sits on the hot path.
 */
final class UpstreamPool {
    private static final int MAX_IDLE_PER_UPSTREAM = 1024;

    private final Bootstrap template;
    private final FastThreadLocal<Map<String, ArrayDeque<Channel>>> idle = new FastThreadLocal<>() {
        @Override
        protected Map<String, ArrayDeque<Channel>> initialValue() {
            return new HashMap<>();
        }
    };

    UpstreamPool(Class<? extends Channel> channelClass) {
        this.template = new Bootstrap().channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("codec", new HttpClientCodec(4096, 16_384, 16_384));
                        ch.pipeline().addLast("upstream", new UpstreamHandler());
                    }
                });
    }

    static String key(URI upstream) {
        return upstream.getHost() + ":" + port(upstream);
    }

    static int port(URI upstream) {
        return upstream.getPort() > 0 ? upstream.getPort() : 80;
    }

    /** An idle connection of this loop, or a new one. Must be called on {@code loop}. */
    Future<Channel> acquire(EventLoop loop, URI upstream, int connectTimeoutMillis) {
        ArrayDeque<Channel> channels = idle.get().get(key(upstream));
        while (channels != null && !channels.isEmpty()) {
            Channel ch = channels.pollLast();
            if (ch.isActive()) {
                return loop.newSucceededFuture(ch);
            }
        }
        Promise<Channel> promise = loop.newPromise();
        template.clone(loop).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .connect(upstream.getHost(), port(upstream)).addListener(f -> {
                    if (f.isSuccess()) {
                        promise.setSuccess(((io.netty.channel.ChannelFuture) f).channel());
                    } else {
                        promise.setFailure(f.cause());
                    }
                });
        return promise;
    }

    /** Returns a connection whose exchange completed cleanly; called on its event loop. */
    void release(Channel ch, URI upstream) {
        if (!ch.isActive()) {
            return;
        }
        ArrayDeque<Channel> channels = idle.get().computeIfAbsent(key(upstream), k -> new ArrayDeque<>());
        if (channels.size() >= MAX_IDLE_PER_UPSTREAM) {
            ch.close();
            return;
        }
        channels.addLast(ch);
    }
}
