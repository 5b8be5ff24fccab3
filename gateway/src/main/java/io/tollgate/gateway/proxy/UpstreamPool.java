package io.tollgate.gateway.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Keep-alive HTTP/1.1 connections to upstreams, pooled per event loop: a client connection and its
 * upstream connection share one thread, so no lock and no hand-off sits on the hot path.
 *
 * <p>An {@code https://} upstream gets TLS (SNI, certificate and host-name verification, see
 * {@link io.tollgate.gateway.config.UpstreamTlsFactory}) and its connection is handed out only once the
 * handshake has succeeded: a certificate the gateway cannot verify fails the acquisition (a 502), so no byte
 * of the request is ever written to that upstream, let alone in plaintext.
 */
final class UpstreamPool {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamPool.class);
    private static final int MAX_IDLE_PER_UPSTREAM = 1024;

    private final Bootstrap template;
    /** Pool keys of the upstreams of the routes in force; null until the first {@link #retain}: keep all. */
    private volatile java.util.Set<String> live;
    private final SslContext tls;
    private final FastThreadLocal<Map<String, ArrayDeque<Channel>>> idle = new FastThreadLocal<>() {
        @Override
        protected Map<String, ArrayDeque<Channel>> initialValue() {
            return new HashMap<>();
        }
    };

    /** {@code tls} may be null when no route has an {@code https://} upstream. */
    UpstreamPool(Class<? extends Channel> channelClass, SslContext tls) {
        this.tls = tls;
        this.template = new Bootstrap().channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        addHttp(ch);
                    }
                });
    }

    private static void addHttp(Channel ch) {
        ch.pipeline().addLast("codec", new UpstreamCodec(new HttpDecoderConfig().setMaxInitialLineLength(4096)
                .setMaxHeaderSize(16_384).setMaxChunkSize(16_384).setHeadersFactory(FieldList.FACTORY)
                .setTrailersFactory(FieldList.TRAILERS_FACTORY)));
        ch.pipeline().addLast("upstream", new UpstreamHandler());
    }

    /** {@link #key} of each upstream URI the routes name (a handful): computed once, not twice per request. */
    private final Map<URI, String> keys = new java.util.concurrent.ConcurrentHashMap<>();

    private String keyOf(URI upstream) {
        String key = keys.get(upstream);
        return key != null ? key : keys.computeIfAbsent(upstream, UpstreamPool::key);
    }

    /** Pool key: scheme, host and port, so an http and an https upstream on one host never share a connection. */
    static String key(URI upstream) {
        return upstream.getScheme().toLowerCase(Locale.ROOT) + "://" + upstream.getHost() + ":" + port(upstream);
    }

    static boolean isHttps(URI upstream) {
        return "https".equalsIgnoreCase(upstream.getScheme());
    }

    static int port(URI upstream) {
        return upstream.getPort() > 0 ? upstream.getPort() : isHttps(upstream) ? 443 : 80;
    }

    /** The host to connect to, verify and name in SNI: an IPv6 literal without its brackets. */
    static String host(URI upstream) {
        String host = upstream.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** An idle connection of the calling loop to {@code upstream}, taken from the pool; null when it has none. */
    Channel pooled(URI upstream) {
        ArrayDeque<Channel> channels = idle.get().get(keyOf(upstream));
        while (channels != null && !channels.isEmpty()) {
            Channel ch = channels.pollLast();
            if (ch.isActive()) {
                return ch;
            }
        }
        return null;
    }

    /** An idle connection of this loop ({@link #pooled}), or a new one. Must be called on {@code loop}. */
    Future<Channel> acquire(EventLoop loop, URI upstream, int connectTimeoutMillis) {
        Channel pooled = pooled(upstream);
        if (pooled != null) {
            return loop.newSucceededFuture(pooled);
        }
        boolean https = isHttps(upstream);
        if (!https && !"http".equalsIgnoreCase(upstream.getScheme())) {
            // Configuration validation refuses such a route; never fall back to plain HTTP for it.
            return loop.newFailedFuture(new IllegalArgumentException("unsupported upstream scheme"));
        }
        if (https && tls == null) {
            return loop.newFailedFuture(new IllegalStateException("no TLS context for an https upstream"));
        }
        String host = host(upstream);
        int port = port(upstream);
        Bootstrap bootstrap = template.clone(loop).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis);
        if (https) {
            bootstrap.handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    // peer host and port: the certificate is verified against the host (endpoint identification
                    // is set on the context); SNI names it, unless it is an IP literal (RFC 6066 §3)
                    SslHandler handler = tls.newHandler(ch.alloc(), host, port);
                    // in the pipeline first: whatever fails below closes the channel, and the handler releases
                    // its engine (OpenSSL's is reference-counted) when the pipeline is torn down
                    ch.pipeline().addLast("tls", handler);
                    addHttp(ch);
                    if (!NetUtil.isValidIpV4Address(host) && !NetUtil.isValidIpV6Address(host)) {
                        SSLEngine engine = handler.engine();
                        SSLParameters parameters = engine.getSSLParameters();
                        parameters.setServerNames(List.of(new SNIHostName(host)));
                        engine.setSSLParameters(parameters);
                    }
                    handler.setHandshakeTimeoutMillis(connectTimeoutMillis);
                }
            });
        }
        Promise<Channel> promise = loop.newPromise();
        bootstrap.connect(host, port).addListener(f -> {
            if (!f.isSuccess()) {
                promise.setFailure(f.cause());
                return;
            }
            Channel ch = ((ChannelFuture) f).channel();
            if (!https) {
                promise.setSuccess(ch);
                return;
            }
            ch.pipeline().get(SslHandler.class).handshakeFuture().addListener(h -> {
                if (h.isSuccess()) {
                    promise.setSuccess(ch);
                    return;
                }
                ch.close();
                Throwable cause = h.cause();
                // one line per failed handshake: scheme, host and port only (a URL's user info or query could
                // hold a secret), and the verifier's reason
                LOG.warn("event=upstream_tls_failed upstream=https://{}:{} reason=\"{}\"", host, port, reason(cause));
                promise.setFailure(cause instanceof SslHandshakeTimeoutException
                        ? new ConnectTimeoutException("TLS handshake timed out") : cause);
            });
        });
        return promise;
    }

    /**
     * Why a handshake failed, on one line: the innermost cause's message. OpenSSL's engine reports a certificate the
     * trust manager refused as "General OpenSslEngine problem" with the trust manager's exception as its cause; the
     * JDK's wraps it too ("PKIX path building failed: ...").
     */
    static String reason(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replaceAll("\\s+", " ").replace('"', '\'').strip();
    }

    /** Returns a connection whose exchange completed cleanly; called on its event loop. */
    void release(Channel ch, URI upstream) {
        if (!ch.isActive()) {
            return;
        }
        String key = keyOf(upstream);
        java.util.Set<String> keep = live;
        if (keep != null && !keep.contains(key)) {
            ch.close(); // no route goes there any more
            return;
        }
        ArrayDeque<Channel> channels = idle.get().computeIfAbsent(key, k -> new ArrayDeque<>());
        if (channels.size() >= MAX_IDLE_PER_UPSTREAM) {
            ch.close();
            return;
        }
        channels.addLast(ch);
    }

    /**
     * From now on pools only connections to {@code upstreams} (the routes in force): a connection to another
     * upstream is closed when its exchange ends. Connections to new upstreams are made on first use.
     */
    void retain(java.util.Collection<URI> upstreams) {
        java.util.Set<String> retained = new java.util.HashSet<>();
        upstreams.forEach(u -> retained.add(key(u)));
        live = java.util.Set.copyOf(retained);
        keys.keySet().retainAll(upstreams); // the memo holds the upstreams of the routes in force
    }

    /** Closes this loop's idle connections to upstreams no route names any more. Must be called on the loop. */
    void closeIdleNotRetained() {
        java.util.Set<String> keep = live;
        if (keep == null) {
            return;
        }
        var it = idle.get().entrySet().iterator();
        while (it.hasNext()) {
            var entry = it.next();
            if (!keep.contains(entry.getKey())) {
                entry.getValue().forEach(Channel::close);
                it.remove();
            }
        }
    }

    /** The number of this loop's idle connections to {@code upstream}. Must be called on the loop. */
    int idleCount(URI upstream) {
        ArrayDeque<Channel> channels = idle.get().get(key(upstream));
        return channels == null ? 0 : channels.size();
    }
}
