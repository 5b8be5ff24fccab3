package io.tollgate.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;

/**
 * {@link UpstreamCodec}'s reading of a whole response in the common case, in one pass over its head where Netty's
 * decoder makes a string of every word and value: a head of {@code HTTP/1.x}, a common status with its usual reason
 * phrase, fields of a token name and a value of VCHAR, SP and HTAB, CRLF line ends, exactly one
 * {@code Content-Length} of plain digits and no {@code Transfer-Encoding}, followed by the whole body (at most one
 * chunk of the decoder's). A value of a common field that has the same bytes as that field's last value on this
 * connection (the upstream's {@code Server}, {@code Content-Type}, this second's {@code Date}) is that same string.
 * It only ever accepts: anything else (a head or body not yet whole, a 1xx, other framing, a byte
 * outside the common case, a limit) is left unread for Netty's decoder, which alone decides what is refused.
 * One per connection: it keeps the connection's scratch array and last values.
 */
final class CommonResponseHeadParser {
    /** A longer head goes to Netty's decoder: far below its line and header limits. */
    private static final int MAX_HEAD = 2048;
    /** Significant digits of a Content-Length taken here (Netty's reading of longer ones decides). */
    private static final int MAX_LENGTH_DIGITS = 9;

    private final byte[] head = new byte[MAX_HEAD];
    /** The last value of each of {@link UpstreamCodec#COMMON_NAMES} on this connection. */
    private final String[] lastValues = new String[UpstreamCodec.COMMON_NAMES.length];
    private final HttpResponseStatus[] statuses;
    private final int maxChunkSize;

    CommonResponseHeadParser(HttpResponseStatus[] statuses, int maxChunkSize) {
        this.statuses = statuses;
        this.maxChunkSize = maxChunkSize;
    }

    /**
     * Reads a whole common response at the start of {@code buffer}: emits the response and its last content (the
     * body, or none for a response to {@code HEAD}, whose method it takes from {@code methods}) and returns true;
     * otherwise reads nothing and returns false.
     */
    boolean parse(ByteBuf buffer, List<Object> out, Queue<HttpMethod> methods) {
        int from = buffer.readerIndex();
        int readable = buffer.readableBytes();
        int end = buffer.indexOf(from, from + Math.min(readable, MAX_HEAD), (byte) '\n');
        if (end < 0 || readable < 17) {
            return false;
        }
        int copied = Math.min(readable, MAX_HEAD);
        buffer.getBytes(from, head, 0, copied);
        HttpVersion version = version();
        HttpResponseStatus status = version == null ? null : status(end - from);
        if (status == null) {
            return false;
        }
        FieldList fields = new FieldList();
        long contentLength = -1;
        int line = end - from + 1;
        while (true) {
            int lf = indexOf(line, copied);
            if (lf < 0 || lf == line || head[lf - 1] != '\r') {
                return false; // not whole here, or a bare LF
            }
            int cr = lf - 1;
            if (cr == line) {
                line = lf + 1;
                break; // the empty line
            }
            long read = FieldLine.read(head, line, cr);
            if (read < 0) {
                return false;
            }
            int colon = FieldLine.colon(read);
            int known = KnownWords.indexOf(UpstreamCodec.COMMON_NAMES, head, line, colon - line);
            AsciiString name = known >= 0 ? UpstreamCodec.COMMON_NAMES[known] : new AsciiString(head, line,
                    colon - line, true);
            if (HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)) {
                return false;
            }
            if (HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)) {
                if (contentLength >= 0) {
                    return false; // more than one: Netty's reading
                }
                contentLength = digits(FieldLine.valueStart(read), FieldLine.valueEnd(read));
                if (contentLength < 0) {
                    return false;
                }
            }
            fields.addParsed(name, value(known, FieldLine.valueStart(read), FieldLine.valueEnd(read)));
            line = lf + 1;
        }
        if (contentLength < 0) {
            return false; // read until close: Netty frames it
        }
        // no body whatever the length says: a response to HEAD, a 204, a 304 (as Netty's decoder reads them)
        boolean bodyless = HttpMethod.HEAD.equals(methods.peek()) || status.code() == 204 || status.code() == 304;
        long body = bodyless ? 0 : contentLength;
        if (body > maxChunkSize || readable - line < body) {
            return false;
        }
        methods.poll();
        buffer.skipBytes(line);
        out.add(new DefaultHttpResponse(version, status, fields));
        out.add(body == 0 ? LastHttpContent.EMPTY_LAST_CONTENT
                : new DefaultLastHttpContent(buffer.readRetainedSlice((int) body), FieldList.TRAILERS_FACTORY));
        return true;
    }

    /** {@code HTTP/1.1 } or {@code HTTP/1.0 } at the head's start, else null. */
    private HttpVersion version() {
        if (head[0] != 'H' || head[1] != 'T' || head[2] != 'T' || head[3] != 'P' || head[4] != '/' || head[5] != '1'
                || head[6] != '.' || head[8] != ' ') {
            return null;
        }
        return head[7] == '1' ? HttpVersion.HTTP_1_1 : head[7] == '0' ? HttpVersion.HTTP_1_0 : null;
    }

    /**
     * The status of a status line ending in CRLF at {@code lf}: one of {@code statuses} (no 1xx among them), its
     * three digits, one space, and exactly its usual reason phrase; else null.
     */
    private HttpResponseStatus status(int lf) {
        if (lf < 14 || head[lf - 1] != '\r' || head[12] != ' ') {
            return null;
        }
        for (HttpResponseStatus status : statuses) {
            AsciiString code = status.codeAsText();
            String reason = status.reasonPhrase();
            if (head[9] == code.byteAt(0) && head[10] == code.byteAt(1) && head[11] == code.byteAt(2)
                    && lf - 1 - 13 == reason.length() && at(reason, 13)) {
                return status;
            }
        }
        return null;
    }

    /** The value at {@code head[from, to)}: a common field's last value when it has these bytes, else a new string. */
    private String value(int known, int from, int to) {
        if (from == to) {
            return "";
        }
        if (known >= 0) {
            String last = lastValues[known];
            if (last != null && last.length() == to - from && at(last, from)) {
                return last;
            }
        }
        String value = new String(head, from, to - from, StandardCharsets.ISO_8859_1);
        if (known >= 0) {
            lastValues[known] = value;
        }
        return value;
    }

    /** The number of plain digits {@code head[from, to)} (no sign, no leading zero, at most 9), or -1. */
    private long digits(int from, int to) {
        if (from == to || to - from > MAX_LENGTH_DIGITS || head[from] == '0' && to - from > 1) {
            return -1;
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            byte b = head[i];
            if (b < '0' || b > '9') {
                return -1;
            }
            n = n * 10 + (b - '0');
        }
        return n;
    }

    /** Whether the head holds {@code text}'s characters (ISO-8859-1) at {@code start}. */
    private boolean at(String text, int start) {
        for (int i = 0; i < text.length(); i++) {
            if ((head[start + i] & 0xff) != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int indexOf(int from, int to) {
        for (int i = from; i < to; i++) {
            if (head[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
