package io.tollgate.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link StrictRequestDecoder}'s reading of a complete head in the common case, in one pass over its bytes where
 * Netty's parser and the decoder's strict scan make two. It only ever accepts: a head it does not take (not yet
 * whole, framing fields, a byte outside the common case, a limit reached) is left unread for Netty's parser and the
 * scan, which alone decide what is refused. One per connection: it keeps the connection's scratch array.
 */
final class CommonHeadParser {
    /**
     * The names a head parsed here shares: {@link StrictRequestDecoder#COMMON_NAMES}, the spellings Netty's decoder
     * shares itself, and Netty's lower-case constants (as HTTP/2-era clients spell them); each only for exactly its
     * bytes.
     */
    private static final AsciiString[] PARSED_NAMES = parsedNames();

    /** Names whose fields frame a body (or, {@code Sec-WebSocket-Key1/2}, make Netty expect 8 bytes of one). */
    private static final AsciiString[] FRAMING_NAMES = {HttpHeaderNames.CONTENT_LENGTH,
        HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.SEC_WEBSOCKET_KEY1, HttpHeaderNames.SEC_WEBSOCKET_KEY2};

    private static AsciiString[] parsedNames() {
        List<AsciiString> names = new ArrayList<>(List.of(StrictRequestDecoder.COMMON_NAMES));
        names.addAll(List.of(AsciiString.cached("Host"), AsciiString.cached("Accept"),
                AsciiString.cached("Connection"), AsciiString.cached("Content-Type"), HttpHeaderNames.HOST,
                HttpHeaderNames.USER_AGENT, HttpHeaderNames.ACCEPT, HttpHeaderNames.AUTHORIZATION,
                HttpHeaderNames.CONNECTION, HttpHeaderNames.CONTENT_TYPE, HttpHeaderNames.ACCEPT_ENCODING));
        return names.toArray(AsciiString[]::new);
    }

    /** The bytes of the head being parsed here: grows with the heads up to {@link #MAX_SCRATCH} and is kept. */
    private byte[] scratch = new byte[0];
    /** A longer head is parsed in an array of its own: a connection keeps at most this much. */
    private static final int MAX_SCRATCH = 4096;
    private final int maxInitialLineLength;
    private final int maxHeaderSize;

    CommonHeadParser(int maxInitialLineLength, int maxHeaderSize) {
        this.maxInitialLineLength = maxInitialLineLength;
        this.maxHeaderSize = maxHeaderSize;
    }

    /**
     * Parses a head that is whole in {@code buffer} and within the strict grammar's common case, in one pass: the
     * head's bytes are copied into the connection's scratch array, each value copied out of it once as the string
     * the consumers read (a name in a usual spelling is the shared constant), and the request and its empty last
     * content are emitted. Every head this accepts is one Netty's parser and the strict scan accept
     * and read the same way; anything else (a head not yet whole, framing fields, a byte outside the common case,
     * a limit reached) returns false, reading nothing, and goes through Netty's parser as before, which decides.
     */
    boolean parse(ByteBuf buffer, List<Object> out) {
        int from = buffer.readerIndex();
        int to = buffer.writerIndex();
        int lf = buffer.indexOf(from, Math.min(to, from + maxInitialLineLength + 2), (byte) '\n');
        if (lf < 0) {
            return false;
        }
        int headerBytes = 0;
        int line = lf + 1;
        while (true) {
            int next = buffer.indexOf(line, Math.min(to, line + maxHeaderSize - headerBytes + 2), (byte) '\n');
            if (next < 0) {
                return false;
            }
            if (next - line <= 1) {
                line = next + 1; // the empty line ends the head (a bare LF or CR is refused below)
                break;
            }
            headerBytes += next - 1 - line;
            line = next + 1;
        }
        int length = line - from;
        if (scratch.length < length && length <= MAX_SCRATCH) {
            scratch = new byte[Math.min(MAX_SCRATCH, Math.max(length, 2 * scratch.length))];
        }
        byte[] head = length <= scratch.length ? scratch : new byte[length];
        buffer.getBytes(from, head, 0, length);
        HttpRequest request = request(head, lf - from);
        if (request == null) {
            return false;
        }
        buffer.skipBytes(length);
        out.add(request);
        out.add(LastHttpContent.EMPTY_LAST_CONTENT);
        return true;
    }

    /**
     * The request of {@code head} (whole, its request line ending in the LF at {@code lf}), or null when it is not
     * in the common case: request line {@code tchar+ SP (VCHAR)+ SP HTTP/1.1 or HTTP/1.0}; header lines
     * {@code tchar+ ":" OWS value OWS}, the value of VCHAR, SP and HTAB; every line ending in CRLF; no
     * {@code Content-Length}, {@code Transfer-Encoding} or {@code Sec-WebSocket-Key1/2} (a body, which Netty frames).
     */
    private HttpRequest request(byte[] head, int lf) {
        int lineEnd = lf - 1;
        if (lineEnd < 1 || head[lineEnd] != '\r' || !StrictRequestDecoder.isRequestLine(head, lineEnd)) {
            return null;
        }
        int methodEnd = indexOf(head, (byte) ' ', 0);
        int targetEnd = indexOf(head, (byte) ' ', methodEnd + 1);
        HttpVersion version = version(head, targetEnd + 1);
        if (version == null) {
            return null;
        }
        FieldList fields = new FieldList();
        int line = lf + 1;
        while (true) {
            int end = line;
            while (head[end] != '\n') {
                end++;
            }
            if (end == line || head[end - 1] != '\r') {
                return null; // a bare LF
            }
            int cr = end - 1;
            if (cr == line) {
                break; // the empty line: it ends the array
            }
            long read = FieldLine.read(head, line, cr);
            if (read < 0) {
                return null;
            }
            int colon = FieldLine.colon(read);
            int value = FieldLine.valueStart(read);
            int valueEnd = FieldLine.valueEnd(read);
            AsciiString name = name(head, line, colon - line);
            if (name == null) {
                return null;
            }
            fields.addParsed(name, value == valueEnd ? ""
                    : new String(head, value, valueEnd - value, StandardCharsets.ISO_8859_1));
            line = end + 1;
        }
        HttpMethod method = method(head, methodEnd);
        String target = new String(head, methodEnd + 1, targetEnd - methodEnd - 1, StandardCharsets.ISO_8859_1);
        return new DefaultHttpRequest(version, method, target, fields);
    }

    /** The name at {@code head[start, start + length)}: a shared constant in its usual spelling, else a copy; null for a framing name. */
    private static AsciiString name(byte[] head, int start, int length) {
        AsciiString known = KnownWords.name(PARSED_NAMES, head, start, length);
        if (known != null) {
            return known;
        }
        AsciiString name = new AsciiString(head, start, length, true);
        for (AsciiString framing : FRAMING_NAMES) {
            if (framing.contentEqualsIgnoreCase(name)) {
                return null;
            }
        }
        return name;
    }

    private static HttpMethod method(byte[] head, int length) {
        String known = KnownWords.word(StrictRequestDecoder.COMMON_METHODS, head, 0, length);
        return HttpMethod.valueOf(known != null ? known : new String(head, 0, length, StandardCharsets.ISO_8859_1));
    }

    /** {@code HTTP/1.1} or {@code HTTP/1.0} at {@code head[start]} (the request line's last 8 bytes), else null. */
    private static HttpVersion version(byte[] head, int start) {
        return head[start + 5] != '1' ? null : head[start + 7] == '1' ? HttpVersion.HTTP_1_1
                : head[start + 7] == '0' ? HttpVersion.HTTP_1_0 : null;
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        int i = from;
        while (bytes[i] != b) {
            i++;
        }
        return i;
    }
}
