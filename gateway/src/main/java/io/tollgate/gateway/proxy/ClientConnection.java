package io.tollgate.gateway.proxy;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.tollgate.shared.net.TrustedProxies;

import java.net.InetSocketAddress;

/** What the gateway knows of a client connection, read once when it opens. */
record ClientConnection(String peerIp, boolean trustedPeer, boolean tls, int localPort) {

    static ClientConnection of(Channel channel, TrustedProxies trusted) {
        String ip = "unknown";
        boolean trustedPeer = false;
        if (channel.remoteAddress() instanceof InetSocketAddress address && address.getAddress() != null) {
            ip = address.getAddress().getHostAddress();
            int zone = ip.indexOf('%');
            if (zone >= 0) {
                ip = ip.substring(0, zone);
            }
            trustedPeer = trusted.contains(address.getAddress());
        }
        int port = channel.localAddress() instanceof InetSocketAddress local ? local.getPort() : 0;
        return new ClientConnection(ip, trustedPeer, channel.pipeline().get(SslHandler.class) != null, port);
    }

    String scheme() {
        return tls ? "https" : "http";
    }
}
