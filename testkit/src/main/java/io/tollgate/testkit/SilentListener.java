package io.tollgate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP listener on a free loopback port that never answers: a server whose host is cut off, as a client sees it.
 * {@link #start()} accepts every connection and counts them (each request waits out the client's read timeout);
 * {@link #blackHole()} accepts none and keeps its accept queue full, so the kernel drops every further SYN and
 * each connect waits out the client's connect timeout.
 */
public final class SilentListener implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private final List<Socket> queueFillers = new CopyOnWriteArrayList<>();

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

    /** A listener that accepts no connection and whose full accept queue makes every connect to it time out. */
    public static SilentListener blackHole() {
        try {
            SilentListener listener = new SilentListener(
                    new ServerSocket(FreePorts.find(), 1, InetAddress.getLoopbackAddress()));
            for (int i = 0; i < 16; i++) {
                Socket filler = new Socket();
                try {
                    filler.connect(new InetSocketAddress(listener.server.getInetAddress(), listener.port()), 200);
                    listener.queueFillers.add(filler);
                } catch (SocketTimeoutException e) {
                    filler.close();
                    return listener; // the queue is full: SYNs are dropped
                }
            }
            listener.close();
            throw new IllegalStateException("the accept queue of a listener with backlog 1 did not fill");
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

    /** The connections accepted so far (none for a {@link #blackHole()}). */
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
            for (Socket socket : queueFillers) {
                socket.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
