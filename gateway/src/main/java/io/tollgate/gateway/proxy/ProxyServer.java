package io.tollgate.gateway.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import io.tollgate.gateway.config.ProxyFactory;
import io.tollgate.gateway.core.Pipeline;
import io.tollgate.gateway.core.RouteTable;
import io.tollgate.shared.net.TrustedProxies;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The data plane: a Netty HTTP/1.1 server whose requests go through the entrance ({@link Inbound}), the pipeline it
 * is started with, then to an upstream. With a TLS context its listener speaks only TLS; the handler is the first
 * of every client connection's pipeline and is named {@code "tls"}. The server owns the TLS contexts it is given and
 * releases them when it stops (OpenSSL's are reference-counted; each connection's engine holds its own reference).
 */
public final class ProxyServer {
    private final ProxyFactory config;
    private final TrustedProxies trustedProxies;
    private final Inbound inbound;
    private final SslContext tls;
    private final SslContext upstreamTls;
    private final EventLoopGroup boss;
    private final EventLoopGroup loops;
    private final UpstreamPool upstreams;
    private final Class<? extends io.netty.channel.ServerChannel> serverChannel;
    private Channel listener;
    private boolean contextsReleased;

    /**
     * @param tls         the listener's server context, or null for plain HTTP
     * @param upstreamTls the client context for {@code https://} upstreams, or null when there is none
     */
    public ProxyServer(ProxyFactory config, SslContext tls, SslContext upstreamTls, RouteTable routes) {
        this.config = config;
        this.tls = tls;
        this.upstreamTls = upstreamTls;
        this.trustedProxies = new TrustedProxies(config.trustedProxies);
        this.inbound = new Inbound(routes, trustedProxies);
        int threads = config.ioThreads > 0 ? config.ioThreads : Runtime.getRuntime().availableProcessors();
        if (Epoll.isAvailable()) {
            boss = new EpollEventLoopGroup(1);
            loops = new EpollEventLoopGroup(threads);
            serverChannel = EpollServerSocketChannel.class;
            upstreams = new UpstreamPool(EpollSocketChannel.class, upstreamTls);
        } else {
            boss = new NioEventLoopGroup(1);
            loops = new NioEventLoopGroup(threads);
            serverChannel = NioServerSocketChannel.class;
            upstreams = new UpstreamPool(NioSocketChannel.class, upstreamTls);
        }
    }

    /** The client socket class of this platform's transport (epoll when available). */
    public static Class<? extends Channel> clientChannelClass() {
        return Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** Binds the listener; every request goes through {@code pipeline}, and {@code observer} hears of each answer. */
    public void start(Pipeline pipeline, ProxyObserver observer) throws InterruptedException {
        long idleNanos = config.clientIdleTimeout.toNanoseconds();
        ServerBootstrap bootstrap = new ServerBootstrap().group(boss, loops).channel(serverChannel)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                        }
                        // Netty's HttpServerCodec, with the request side held to RFC 9112 (StrictRequestDecoder)
                        // and its fields kept in a FieldList.
                        ch.pipeline().addLast("decoder", new StrictRequestDecoder(new HttpDecoderConfig()
                                .setMaxInitialLineLength(8192).setMaxHeaderSize(config.maxHeaderSize)
                                .setMaxChunkSize(16_384).setHeadersFactory(FieldList.FACTORY)
                                .setTrailersFactory(FieldList.TRAILERS_FACTORY)));
                        ch.pipeline().addLast("encoder", new HttpResponseEncoder());
                        ch.pipeline().addLast("frontend", new FrontendHandler(inbound, trustedProxies, pipeline, upstreams,
                                observer, idleNanos));
                    }
                });
        listener = bootstrap.bind(config.bindHost, config.port).sync().channel();
    }

    /**
     * Keeps upstream connections only to {@code upstreams} (the routes in force): idle connections to any other
     * upstream are closed on every event loop, and busy ones when their exchange ends.
     */
    public void retainUpstreams(java.util.Collection<java.net.URI> upstreams) {
        UpstreamPool pool = this.upstreams;
        pool.retain(upstreams);
        if (!loops.isShuttingDown()) {
            loops.forEach(loop -> loop.execute(pool::closeIdleNotRetained));
        }
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    public void stop() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (!contextsReleased) { // stop() may be called again
            contextsReleased = true;
            ReferenceCountUtil.release(tls);
            ReferenceCountUtil.release(upstreamTls);
        }
    }
}
