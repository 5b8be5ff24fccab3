package io.tollgate.gateway.proxy;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.tollgate.shared.net.TrustedProxies;

import java.net.InetSocketAddress;

/**
 * What the gateway knows of a client connection, read once when it opens, and the forwarded values the entrance
 * writes from it on every request, made once per connection instead of once per request. Confined to the
 * connection's event loop.
 */
final class ClientConnection {
    private final String peerIp;
    private final boolean trustedPeer;
    private final boolean tls;
    private final int localPort;
    private final String localPortText;
    /** The {@code Host} of the last {@link #forwardedElement} and its element: a client sends one Host throughout. */
    private String lastHost;
    private String lastElement;

    ClientConnection(String peerIp, boolean trustedPeer, boolean tls, int localPort) {
        this.peerIp = peerIp;
        this.trustedPeer = trustedPeer;
        this.tls = tls;
        this.localPort = localPort;
        this.localPortText = Integer.toString(localPort);
    }

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

    String peerIp() {
        return peerIp;
    }

    boolean trustedPeer() {
        return trustedPeer;
    }

    boolean tls() {
        return tls;
    }

    int localPort() {
        return localPort;
    }

    /** The local port in decimal, for {@code X-Forwarded-Port}. */
    String localPortText() {
        return localPortText;
    }

    String scheme() {
        return tls ? "https" : "http";
    }

    /**
     * This hop's {@code Forwarded} element (RFC 7239): {@code for=<peer>[;host="<host>"];proto=<scheme>};
     * {@code host} null leaves the host out. The host is checked ({@link Inbound#isHost}) before it gets here.
     */
    String forwardedElement(String host) {
        if (lastElement != null && (host == null ? lastHost == null : host.equals(lastHost))) {
            return lastElement;
        }
        String element = "for=" + node(peerIp) + (host != null ? ";host=\"" + host + "\"" : "") + ";proto=" + scheme();
        lastHost = host;
        lastElement = element;
        return element;
    }

    private static String node(String ip) {
        return ip.indexOf(':') >= 0 ? "\"[" + ip + "]\"" : ip;
    }
}
