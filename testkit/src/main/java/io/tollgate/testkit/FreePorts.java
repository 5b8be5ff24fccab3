package io.tollgate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Free loopback ports for the servers the fixtures start. */
public final class FreePorts {
    private FreePorts() {
    }

    /** Every port handed out in this JVM: the kernel may offer a port again as soon as it was released. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * A port free now and never returned before by this JVM: a whole stack takes a dozen ports before any of its
     * servers binds one, and the kernel gave the same ephemeral port twice in a row (a gateway's admin port was
     * token-api's, so the gateway failed to start while its health probe, answered by token-api, said healthy).
     */
    public static int find() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("no free port on loopback", e);
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port that was not handed out before");
    }

    /** True if something accepts TCP connections on 127.0.0.1:{@code port}. */
    public static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
