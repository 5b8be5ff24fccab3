package io.tollgate.testkit.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends raw bytes over a socket (java.net.http refuses CR/LF, NUL and non-ASCII in header values, which is
 * exactly what the fuzzer needs to send) and parses the HTTP/1.1 answer. One connection per request
 * ({@code Connection: close} is up to the caller), so a request that confuses the server cannot
 * poison the next one.
 */
public final class RawHttp {
    public record Answer(int status, Map<String, String> headers, String body, boolean timedOut) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public boolean answered() {
            return status > 0;
        }
    }

    private RawHttp() {
    }

    /**
     * An HTTP/1.1 request as raw bytes: request line, {@code Host}, the content type (if any), the given header
     * name/value pairs in order (sent as given, CR/LF and all), {@code Content-Length} and {@code Connection:
     * close}. A line (request line or header) with a character beyond Latin-1 goes out as UTF-8, any other as
     * ISO-8859-1, so a fuzzer can send any byte.
     */
    public static byte[] request(int port, String method, String path, String contentType, byte[] body,
                                 java.util.List<String> headers) {
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        String requestLine = method + " " + path + " HTTP/1.1\r\n";
        boolean narrowLine = requestLine.chars().allMatch(c -> c < 256);
        raw.writeBytes(requestLine.getBytes(narrowLine ? java.nio.charset.StandardCharsets.ISO_8859_1
                : java.nio.charset.StandardCharsets.UTF_8));
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("Host", "127.0.0.1:" + port));
        if (contentType != null) {
            all.add("Content-Type");
            all.add(contentType);
        }
        all.addAll(headers);
        all.addAll(java.util.List.of("Content-Length", Integer.toString(body.length), "Connection", "close"));
        for (int i = 0; i < all.size(); i += 2) {
            String line = all.get(i) + ": " + all.get(i + 1) + "\r\n";
            boolean narrow = line.chars().allMatch(c -> c < 256);
            raw.writeBytes(line.getBytes(narrow ? java.nio.charset.StandardCharsets.ISO_8859_1
                    : java.nio.charset.StandardCharsets.UTF_8));
        }
        raw.writeBytes("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        raw.writeBytes(body);
        return raw.toByteArray();
    }

    public static Answer send(int port, byte[] request, int timeoutMillis) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(timeoutMillis);
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
            } catch (IOException e) {
                // the server may answer and close before it has read all of an oversized request
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            boolean timedOut = false;
            try {
                InputStream in = socket.getInputStream();
                byte[] buf = new byte[16 * 1024];
                int n;
                while ((n = in.read(buf)) >= 0 && out.size() < 4 * 1024 * 1024) {
                    out.write(buf, 0, n);
                    if (complete(out.toByteArray())) {
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                timedOut = true;
            } catch (IOException e) {
                // connection reset after a partial answer: parse what arrived
            }
            return parse(out.toByteArray(), timedOut);
        } catch (IOException e) {
            return new Answer(0, Map.of(), "connect failed: " + e.getMessage(), false);
        }
    }

    /** True when the bytes hold a full response with a Content-Length body (so keep-alive answers end too). */
    private static boolean complete(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        Answer head = parse(bytes, false);
        String length = head.header("content-length");
        if (length == null) {
            return false;
        }
        try {
            return bytes.length - (end + 4) >= Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public static Answer parse(byte[] bytes, boolean timedOut) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/") || end < 0) {
            return new Answer(0, Map.of(), text, timedOut);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status;
        try {
            status = Integer.parseInt(lines[0].split(" ")[1]);
        } catch (RuntimeException e) {
            return new Answer(0, Map.of(), text, timedOut);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            }
        }
        String body = new String(bytes, end + 4, bytes.length - end - 4, StandardCharsets.UTF_8);
        return new Answer(status, headers, body, timedOut);
    }
}
