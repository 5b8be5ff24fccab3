package io.tollgate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP listener on a free loopback port that accepts every connection and never answers: a server whose host is
 * cut off, as a client sees it (each request waits out the client's timeout). Counts the connections it accepted.
 */
public final class SilentListener implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private SilentListener(ServerSocket server) {
        this.server = server;
        this.acceptor = new Thread(this::acceptAll, "silent-listener-" + server.getLocalPort());
        this.acceptor.setDaemon(true);
    }

    /** Starts a listener on a free loopback port. */
    public static SilentListener start() {
        try {
            SilentListener listener = new SilentListener(
                    new ServerSocket(FreePorts.find(), 50, InetAddress.getLoopbackAddress()));
            listener.acceptor.start();
            return listener;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback", e);
        }
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                accepted.add(server.accept());
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    public String host() {
        return server.getInetAddress().getHostAddress();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The connections accepted so far. */
    public int connections() {
        return accepted.size();
    }

    @Override
    public void close() {
        try {
            server.close();
            for (Socket socket : accepted) {
                socket.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
