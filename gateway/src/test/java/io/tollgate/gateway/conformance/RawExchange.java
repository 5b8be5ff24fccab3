package io.tollgate.gateway.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sends one input's raw bytes on a fresh connection and reads every answer until the proxy closes, or has
 * sent as many final answers as the input holds requests and then stays quiet briefly, or stays quiet
 * longer than the idle timeout (a proxy still waiting for bytes the input never sends).
 */
final class RawExchange {
    /** One final response (1xx are skipped): status, lower-cased Content-Type, body. */
    record Response(int status, String contentType, String body) {
    }

    /** Everything the client saw. {@code closedByPeer}: the proxy closed; else the client gave up. */
    record Answer(List<Response> responses, boolean closedByPeer, String trailingGarbage) {
        Response first() {
            return responses.isEmpty() ? null : responses.get(0);
        }
    }

    private RawExchange() {
    }

    static Answer send(int port, byte[] raw, int expectedAnswers, int idleMillis, int quietMillis) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setTcpNoDelay(true);
            try {
                socket.getOutputStream().write(raw);
                socket.getOutputStream().flush();
            } catch (IOException e) {
                // the proxy may refuse and close before it has read everything
            }
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            InputStream stream = socket.getInputStream();
            byte[] buf = new byte[16 * 1024];
            boolean closed = false;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline) {
                Parsed parsed = parse(in.toByteArray());
                boolean enough = parsed.responses.size() >= Math.max(1, expectedAnswers);
                socket.setSoTimeout(enough ? quietMillis : idleMillis);
                int n;
                try {
                    n = stream.read(buf);
                } catch (SocketTimeoutException e) {
                    break;
                } catch (IOException e) {
                    closed = true; // reset
                    break;
                }
                if (n < 0) {
                    closed = true;
                    break;
                }
                in.write(buf, 0, n);
            }
            Parsed parsed = parse(in.toByteArray());
            return new Answer(parsed.responses, closed, parsed.rest);
        } catch (IOException e) {
            return new Answer(List.of(), true, "connect failed: " + e.getMessage());
        }
    }

    private record Parsed(List<Response> responses, String rest) {
    }

    /** Complete responses framed by Content-Length (or chunked); a response without framing ends at close. */
    private static Parsed parse(byte[] bytes) {
        List<Response> out = new ArrayList<>();
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int pos = 0;
        while (pos < text.length()) {
            int end = text.indexOf("\r\n\r\n", pos);
            if (!text.startsWith("HTTP/1.", pos) || end < 0) {
                break;
            }
            String[] lines = text.substring(pos, end).split("\r\n");
            int status;
            try {
                status = Integer.parseInt(lines[0].split(" ")[1]);
            } catch (RuntimeException e) {
                break;
            }
            String contentType = "";
            long length = -1;
            boolean chunked = false;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = lines[i].substring(colon + 1).trim();
                switch (name) {
                    case "content-type" -> contentType = value.toLowerCase(Locale.ROOT);
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    default -> { }
                }
            }
            int bodyStart = end + 4;
            if (status < 200) {
                pos = bodyStart;
                continue;
            }
            String body;
            if (chunked) {
                StringBuilder b = new StringBuilder();
                int p = bodyStart;
                boolean done = false;
                while (true) {
                    int lineEnd = text.indexOf("\r\n", p);
                    if (lineEnd < 0) {
                        break;
                    }
                    int size;
                    try {
                        size = Integer.parseInt(text.substring(p, lineEnd).split(";")[0].trim(), 16);
                    } catch (NumberFormatException e) {
                        break;
                    }
                    if (size == 0) {
                        int trailerEnd = text.indexOf("\r\n", lineEnd + 2);
                        if (trailerEnd < 0) {
                            break;
                        }
                        p = trailerEnd + 2; // no trailers from these proxies' own answers
                        done = true;
                        break;
                    }
                    if (lineEnd + 2 + size + 2 > text.length()) {
                        break;
                    }
                    b.append(text, lineEnd + 2, lineEnd + 2 + size);
                    p = lineEnd + 2 + size + 2;
                }
                if (!done) {
                    break;
                }
                body = b.toString();
                pos = p;
            } else if (length >= 0) {
                if (bodyStart + length > text.length()) {
                    break;
                }
                body = text.substring(bodyStart, bodyStart + (int) length);
                pos = bodyStart + (int) length;
            } else {
                body = text.substring(bodyStart);
                pos = text.length();
            }
            out.add(new Response(status, contentType, body));
        }
        return new Parsed(out, text.substring(pos));
    }
}
