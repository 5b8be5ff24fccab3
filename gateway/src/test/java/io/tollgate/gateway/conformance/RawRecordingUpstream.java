package io.tollgate.gateway.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A plain socket server that stores the exact bytes each connection receives, and answers every request it
 * can frame (read leniently, as {@link Http1Parser.Mode#REFERENCE}) with a fixed 200 and a Content-Length
 * body, so a proxy in front keeps going and shows what it sends next. It keeps connections open (an
 * HTTP/1.1 backend with keep-alive), and after a request that closes the connection it stops writing but
 * keeps recording: bytes a proxy sends after that are evidence too.
 */
final class RawRecordingUpstream implements AutoCloseable {
    private static final byte[] BODY = "ok".getBytes(StandardCharsets.US_ASCII);

    /** One accepted connection: every byte it received, in order. */
    static final class Connection {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private volatile long lastActivityNanos = System.nanoTime();

        synchronized byte[] bytes() {
            return bytes.toByteArray();
        }

        synchronized int size() {
            return bytes.size();
        }

        private synchronized void append(byte[] buf, int n) {
            bytes.write(buf, 0, n);
            lastActivityNanos = System.nanoTime();
        }

        long lastActivityNanos() {
            return lastActivityNanos;
        }
    }

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "raw-upstream");
        t.setDaemon(true);
        return t;
    });
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    RawRecordingUpstream() throws IOException {
        server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    List<Connection> connections() {
        return new ArrayList<>(connections);
    }

    /** Nanos of the latest byte received on any connection (for waiting until the proxies are quiet). */
    long lastActivityNanos() {
        return connections.stream().mapToLong(Connection::lastActivityNanos).max().orElse(0);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Connection connection = new Connection();
                connections.add(connection);
                threads.execute(() -> serve(socket, connection));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket, Connection connection) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buf = new byte[16 * 1024];
            int answeredUpTo = 0;
            boolean writing = true;
            int n;
            while ((n = in.read(buf)) >= 0) {
                connection.append(buf, n);
                if (!writing) {
                    continue;
                }
                byte[] all = connection.bytes();
                while (answeredUpTo < all.length) {
                    Http1Parser.Request request;
                    try {
                        request = Http1Parser.parse(all, answeredUpTo, Http1Parser.Mode.REFERENCE);
                    } catch (Http1Parser.Incomplete e) {
                        break;
                    } catch (Http1Parser.Invalid e) {
                        // cannot frame it: answer once as if the head ended the request, so the proxy is not
                        // left waiting into a timeout of its own, and keep recording
                        int end = indexOf(all, answeredUpTo, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        if (end < 0) {
                            break;
                        }
                        answeredUpTo = end + 4;
                        out.write(answer(false));
                        continue;
                    }
                    answeredUpTo += request.consumed();
                    out.write(answer(request.method().equals("HEAD")));
                    if (request.closes()) {
                        out.flush();
                        socket.shutdownOutput();
                        writing = false;
                        break;
                    }
                }
                if (writing) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            // reset by the proxy: what arrived is recorded
        }
    }

    private static byte[] answer(boolean head) {
        String text = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + BODY.length + "\r\n\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
        if (!head) {
            out.writeBytes(BODY);
        }
        return out.toByteArray();
    }

    static int indexOf(byte[] hay, int from, byte[] needle) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        threads.shutdownNow();
    }
}
