package io.tollgate.gateway.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

/**
 * Real TLS handshakes over loopback sockets between one of the gateway's Netty contexts and a JDK peer, so a unit
 * test sees what a context does on the wire, not only what it is configured with.
 */
public final class LoopbackTls {
    private LoopbackTls() {
    }

    /**
     * Serves one connection with a handler of {@code server} and handshakes a JDK client of {@code client} offering
     * only {@code protocol}: the session the client negotiated. A failed handshake throws the client's exception.
     */
    public static SSLSession clientHandshake(SslContext server, SSLContext client, String protocol) throws Exception {
        EventLoopGroup group = new NioEventLoopGroup(1);
        try {
            Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(server.newHandler(ch.alloc()));
                        }
                    }).bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
            int port = ((java.net.InetSocketAddress) listener.localAddress()).getPort();
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(10_000);
                socket.setEnabledProtocols(new String[] {protocol});
                socket.startHandshake();
                return socket.getSession();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /**
     * Connects a handler of {@code client}, for peer host {@code host}, to a JDK server of {@code server} on loopback
     * and waits for its handshake: null when it succeeded, else why it failed.
     */
    public static Throwable serverHandshake(SslContext client, String host, SSLContext server) throws Exception {
        EventLoopGroup group = new NioEventLoopGroup(1);
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.setSoTimeout(10_000);
                    socket.startHandshake();
                    socket.getInputStream().read(); // until the client closes
                } catch (IOException e) {
                    // the client refused the handshake, or closed: its side is what the test reads
                }
            }, "loopback-tls-server");
            acceptor.setDaemon(true);
            acceptor.start();
            int port = listener.getLocalPort();
            Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(client.newHandler(ch.alloc(), host, port));
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                    ctx.close(); // the handshake's outcome is read from its future
                                }
                            });
                        }
                    }).connect(InetAddress.getLoopbackAddress(), port).sync().channel();
            Future<Channel> handshake = channel.pipeline().get(SslHandler.class).handshakeFuture();
            if (!handshake.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the handshake did not end within 10 s");
            }
            channel.close().sync();
            return handshake.cause();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
