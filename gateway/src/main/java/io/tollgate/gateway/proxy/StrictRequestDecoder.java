package io.tollgate.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

import java.util.Arrays;
import java.util.List;

/**
 * Netty's request decoder, held to RFC 9112's grammar where Netty is lenient and a proxy behind or in front of
 * the gateway might read the bytes differently (nginx refuses all of these). Every byte Netty consumes is also
 * checked here, in the same order:
 * <ul>
 * <li>before the request line, only empty lines (CRLF);</li>
 * <li>the request line: {@code method SP request-target SP HTTP/d.d CRLF}, one space each, the version in upper
 *     case, no control characters;</li>
 * <li>header lines end in CRLF and never start with whitespace (obs-fold, which Netty would join to the line
 *     before: {@code X-Pad: 1\r\n Transfer-Encoding: chunked});</li>
 * <li>a chunked body: {@code 1*HEXDIG [ chunk-ext ] CRLF} size lines with well-formed extensions, each chunk's
 *     data followed by CRLF, and a trailer section of CRLF-terminated lines without obs-fold.</li>
 * </ul>
 * A bad head becomes an invalid request (answered 400, connection closed); a bad body ends the request with an
 * invalid last content, so it is never completed upstream. After either, nothing more is read.
 * <p>
 * A head that has arrived whole and keeps to the common case (no body, names tokens, values of VCHAR, SP and HTAB,
 * within the limits) is parsed by {@link CommonHeadParser} instead, in one pass over its bytes where Netty's parser
 * and the checks above make two, each value copied once into the string its consumers read (views of one copy of
 * the head would cost that copy on top while the consumers still ask for strings). Such a head is one the checks
 * above and Netty's parser accept and read the same way; every other head (and every body) still goes through
 * Netty's parser and the checks, which alone decide what is refused.
 */
final class StrictRequestDecoder extends HttpRequestDecoder {
    /** Significant hex digits of a chunk size (leading zeros not counted): 15 keep it far from a long's overflow. */
    private static final int MAX_SIZE_DIGITS = 15;

    private enum Phase { HEAD, BODY, CHUNKED, DONE }

    private enum Chunk { SIZE, EXT, EXT_CR, DATA, DATA_CR, DATA_LF, TRAILER_START, TRAILER, TRAILER_CR, END_LF }

    private Phase phase = Phase.HEAD;
    private boolean failed;

    /** The longest request line accepted (the decoder's maxInitialLineLength). */
    private static final int MAX_REQUEST_LINE = 8192;

    // head: the request line's bytes, in a buffer that starts small and grows (up to MAX_REQUEST_LINE) only for a
    // long target, so a connection costs 256 bytes here, not 8 KiB
    private byte[] requestLine = new byte[256];
    private int requestLineLength;
    private boolean inRequestLine;
    private boolean sawRequestLine;
    private boolean lineStart = true;
    private boolean afterCr;

    // chunked body
    private Chunk chunk;
    private int sizeDigits;
    private boolean seenDigit;
    private long remaining;
    private int extState;

    /**
     * Header names clients commonly send, each in its usual spelling, beside the few Netty's decoder knows itself
     * ({@code Host}, {@code Accept}, {@code Connection}, {@code Content-Type}, {@code Content-Length}): a name that
     * arrives in exactly these bytes becomes the constant instead of a new copy per request. Any other spelling is
     * copied as before, so what goes upstream is byte for byte what the client sent.
     */
    static final AsciiString[] COMMON_NAMES = {AsciiString.cached("Authorization"),
        AsciiString.cached("User-Agent"), AsciiString.cached("Accept-Encoding"), AsciiString.cached("Accept-Language"),
        AsciiString.cached("Cache-Control"), AsciiString.cached("Cookie"), AsciiString.cached("Origin"),
        AsciiString.cached("Referer"), AsciiString.cached("DPoP"), Headers.REQUEST_ID, Inbound.TRACEPARENT,
        Inbound.TRACESTATE};

    /**
     * The methods and versions nearly every request line has: a word that arrives in exactly these bytes becomes the
     * constant (which {@code HttpMethod.valueOf} and {@code HttpVersion.valueOf} map to their own constants) instead
     * of a new string per request. Any other word is copied as before.
     */
    static final String[] COMMON_METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"};
    private static final String[] COMMON_VERSIONS = {"HTTP/1.1", "HTTP/1.0"};

    /** Parses complete heads in the common case; null: every head goes through Netty's parser. */
    private final CommonHeadParser heads;
    /** Netty has read bytes of the current head: the rest of it goes to Netty too. */
    private boolean nettyHead;

    StrictRequestDecoder(HttpDecoderConfig config) {
        this(config, true);
    }

    /**
     * With {@code parseHeads} false, every head goes through Netty's parser and the strict scan only (the reading a
     * head parsed here is compared with); so it does when the fields are not kept in a {@link FieldList}.
     */
    StrictRequestDecoder(HttpDecoderConfig config, boolean parseHeads) {
        super(config);
        this.heads = parseHeads && config.getHeadersFactory() == FieldList.FACTORY
                ? new CommonHeadParser(Math.min(MAX_REQUEST_LINE, config.getMaxInitialLineLength()),
                        config.getMaxHeaderSize())
                : null;
    }

    @Override
    protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
        AsciiString name = KnownWords.name(COMMON_NAMES, sb, start, length);
        return name != null ? name : super.splitHeaderName(sb, start, length);
    }

    @Override
    protected String splitFirstWordInitialLine(byte[] line, int start, int length) {
        String known = KnownWords.word(COMMON_METHODS, line, start, length);
        return known != null ? known : super.splitFirstWordInitialLine(line, start, length);
    }

    @Override
    protected String splitThirdWordInitialLine(byte[] line, int start, int length) {
        String known = KnownWords.word(COMMON_VERSIONS, line, start, length);
        return known != null ? known : super.splitThirdWordInitialLine(line, start, length);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (failed) {
            buffer.skipBytes(buffer.readableBytes());
            return;
        }
        if (phase == Phase.HEAD && heads != null && !nettyHead && heads.parse(buffer, out)) {
            return;
        }
        int start = buffer.readerIndex();
        int before = out.size();
        super.decode(ctx, buffer, out);
        int end = buffer.readerIndex();
        String problem = null;
        HttpRequest emitted = null;
        boolean lastEmitted = false;
        for (int i = before; i < out.size(); i++) {
            Object o = out.get(i);
            if (o instanceof HttpRequest request) {
                emitted = request;
            }
            if (o instanceof LastHttpContent) {
                lastEmitted = true;
            }
            if (o instanceof HttpObject object && object.decoderResult().isFailure()) {
                failed = true; // Netty's own refusal: it discards the rest itself
                return;
            }
        }
        Phase scanned = phase;
        if (phase == Phase.HEAD) {
            nettyHead = emitted == null && end > start;
        }
        if (end > start) {
            problem = phase == Phase.HEAD ? scanHead(buffer, start, end)
                    : phase == Phase.CHUNKED ? scanChunked(buffer, start, end) : null;
        }
        if (problem == null) {
            if (emitted != null) {
                phase = lastEmitted ? Phase.HEAD : HttpUtil.isTransferEncodingChunked(emitted) ? Phase.CHUNKED
                        : Phase.BODY;
                resetHead();
                chunk = Chunk.SIZE;
                sizeDigits = 0;
                seenDigit = false;
                remaining = 0;
            } else if (lastEmitted) {
                phase = Phase.HEAD;
                resetHead();
            }
            return;
        }
        for (int i = out.size() - 1; i >= before; i--) {
            ReferenceCountUtil.release(out.remove(i));
        }
        IllegalArgumentException cause = new IllegalArgumentException(problem);
        if (scanned == Phase.HEAD) {
            DefaultFullHttpRequest invalid = new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET,
                    "/bad-request", Unpooled.EMPTY_BUFFER);
            invalid.setDecoderResult(DecoderResult.failure(cause));
            out.add(invalid);
        } else {
            LastHttpContent invalid = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
            invalid.setDecoderResult(DecoderResult.failure(cause));
            out.add(invalid);
        }
        failed = true;
        phase = Phase.DONE;
        buffer.skipBytes(buffer.readableBytes());
    }

    private void resetHead() {
        requestLineLength = 0;
        inRequestLine = false;
        sawRequestLine = false;
        lineStart = true;
        afterCr = false;
    }

    /** Checks head bytes [from, to); a description of the first violation, or null. */
    private String scanHead(ByteBuf buffer, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = buffer.getByte(i);
            if (afterCr && b != '\n') {
                return "bare CR in the request head";
            }
            if (!sawRequestLine && !inRequestLine) {
                if (b == '\r') {
                    afterCr = true;
                    continue;
                }
                if (b == '\n') {
                    if (!afterCr) {
                        return "bare LF before the request line";
                    }
                    afterCr = false;
                    continue;
                }
                inRequestLine = true;
            }
            if (inRequestLine) {
                if (b == '\r') {
                    afterCr = true;
                } else if (b == '\n') {
                    if (!afterCr) {
                        return "the request line must end in CRLF";
                    }
                    afterCr = false;
                    inRequestLine = false;
                    sawRequestLine = true;
                    lineStart = true;
                    if (!isRequestLine(requestLine, requestLineLength)) {
                        return "malformed request line";
                    }
                } else if (requestLineLength < MAX_REQUEST_LINE) {
                    if (requestLineLength == requestLine.length) {
                        requestLine = Arrays.copyOf(requestLine, Math.min(MAX_REQUEST_LINE,
                                requestLine.length * 4));
                    }
                    requestLine[requestLineLength++] = b;
                } else {
                    return "request line too long";
                }
                continue;
            }
            if (b == '\r') {
                afterCr = true;
                lineStart = false;
                continue;
            }
            if (b == '\n') {
                if (!afterCr) {
                    return "header lines must end in CRLF";
                }
                afterCr = false;
                lineStart = true;
                continue;
            }
            if (lineStart && (b == ' ' || b == '\t')) {
                return "obsolete line folding (obs-fold) is not accepted";
            }
            lineStart = false;
        }
        return null;
    }

    /** {@code tchar+ SP 1*(VCHAR) SP "HTTP/" DIGIT "." DIGIT}. */
    static boolean isRequestLine(byte[] line, int length) {
        int i = 0;
        while (i < length && isTchar(line[i])) {
            i++;
        }
        if (i == 0 || i >= length || line[i] != ' ') {
            return false;
        }
        int target = ++i;
        while (i < length && line[i] > 0x20 && line[i] < 0x7f) {
            i++;
        }
        if (i == target || i >= length || line[i] != ' ') {
            return false;
        }
        i++;
        return length - i == 8 && line[i] == 'H' && line[i + 1] == 'T' && line[i + 2] == 'T' && line[i + 3] == 'P'
                && line[i + 4] == '/' && isDigit(line[i + 5]) && line[i + 6] == '.' && isDigit(line[i + 7]);
    }

    /**
     * Checks chunked-body bytes [from, to) against RFC 9112 §7.1: {@code chunk-size [ chunk-ext ] CRLF data CRLF},
     * {@code chunk-ext = *( BWS ";" BWS token [ BWS "=" BWS ( token / quoted-string ) ] )}, then trailer lines.
     */
    private String scanChunked(ByteBuf buffer, int from, int to) {
        int i = from;
        while (i < to) {
            byte b = buffer.getByte(i);
            switch (chunk) {
                case SIZE -> {
                    if (isHex(b)) {
                        if (remaining > 0 && ++sizeDigits > MAX_SIZE_DIGITS) {
                            return "chunk size too long";
                        }
                        if (remaining == 0 && b != '0') {
                            sizeDigits = 1;
                        }
                        remaining = remaining * 16 + Character.digit(b, 16);
                        seenDigit = true;
                    } else if (!seenDigit) {
                        return "a chunk size must start with a hex digit";
                    } else if (b == '\r') {
                        chunk = Chunk.EXT_CR;
                    } else if (b == ';' || b == ' ' || b == '\t') {
                        chunk = Chunk.EXT;
                        extState = 0;
                        continue; // the extension parser reads this byte
                    } else {
                        return "malformed chunk size";
                    }
                }
                case EXT -> {
                    String problem = extByte(b);
                    if (problem != null) {
                        return problem;
                    }
                    if (b == '\r') {
                        chunk = Chunk.EXT_CR;
                    }
                }
                case EXT_CR -> {
                    if (b != '\n') {
                        return "a chunk size line must end in CRLF";
                    }
                    if (remaining == 0) {
                        chunk = Chunk.TRAILER_START;
                    } else {
                        chunk = Chunk.DATA;
                    }
                    sizeDigits = 0;
                    seenDigit = false;
                }
                case DATA -> {
                    long skip = Math.min(remaining, to - i);
                    remaining -= skip;
                    i += (int) skip;
                    if (remaining == 0) {
                        chunk = Chunk.DATA_CR;
                    }
                    continue;
                }
                case DATA_CR -> {
                    if (b != '\r') {
                        return "chunk data must be followed by CRLF";
                    }
                    chunk = Chunk.DATA_LF;
                }
                case DATA_LF -> {
                    if (b != '\n') {
                        return "chunk data must be followed by CRLF";
                    }
                    chunk = Chunk.SIZE;
                }
                case TRAILER_START -> {
                    if (b == '\r') {
                        chunk = Chunk.END_LF;
                    } else if (b == ' ' || b == '\t') {
                        return "obsolete line folding (obs-fold) is not accepted";
                    } else if (b == '\n') {
                        return "trailer lines must end in CRLF";
                    } else {
                        chunk = Chunk.TRAILER;
                    }
                }
                case TRAILER -> {
                    if (b == '\r') {
                        chunk = Chunk.TRAILER_CR;
                    } else if (b == '\n') {
                        return "trailer lines must end in CRLF";
                    }
                }
                case TRAILER_CR -> {
                    if (b != '\n') {
                        return "bare CR in a trailer";
                    }
                    chunk = Chunk.TRAILER_START;
                }
                case END_LF -> {
                    if (b != '\n') {
                        return "the chunked body must end in CRLF";
                    }
                    chunk = Chunk.SIZE; // a next request's head follows (the phase turns to HEAD)
                    remaining = 0;
                }
                default -> throw new IllegalStateException();
            }
            i++;
        }
        return null;
    }

    /**
     * One byte of {@code *( BWS ";" BWS token [ BWS "=" BWS ( token / quoted-string ) ] ) CR}. States: 0 before
     * ";", 1 after ";" (BWS, then a name), 2 in a name, 3 after a name (BWS, "=", ";" or CR), 4 after "=" (BWS,
     * then a value), 5 in a token value, 6 in a quoted string, 7 after a backslash, 8 after a value.
     */
    private String extByte(byte b) {
        boolean ws = b == ' ' || b == '\t';
        switch (extState) {
            case 0 -> {
                if (b == ';') {
                    extState = 1;
                } else if (!ws) {
                    return "malformed chunk extension";
                }
            }
            case 1 -> {
                if (isTchar(b)) {
                    extState = 2;
                } else if (!ws) {
                    return "a chunk extension needs a name";
                }
            }
            case 2, 3, 8 -> {
                if (extState == 2 && isTchar(b)) {
                    return null;
                }
                if (b == '=' && extState != 8) {
                    extState = 4;
                } else if (b == ';') {
                    extState = 1;
                } else if (b == '\r') {
                    return null;
                } else if (ws) {
                    extState = extState == 8 ? 8 : 3;
                } else {
                    return "malformed chunk extension";
                }
            }
            case 4 -> {
                if (b == '"') {
                    extState = 6;
                } else if (isTchar(b)) {
                    extState = 5;
                } else if (!ws) {
                    return "malformed chunk extension value";
                }
            }
            case 5 -> {
                if (isTchar(b)) {
                    return null;
                }
                if (b == ';') {
                    extState = 1;
                } else if (ws) {
                    extState = 8;
                } else if (b != '\r') {
                    return "malformed chunk extension value";
                }
            }
            case 6 -> {
                if (b == '"') {
                    extState = 8;
                } else if (b == '\\') {
                    extState = 7;
                } else if (b == '\r' || b == '\n' || (b >= 0 && b < 0x20 && b != '\t') || b == 0x7f) {
                    return "malformed quoted string in a chunk extension";
                }
            }
            case 7 -> {
                if ((b >= 0 && b < 0x20 && b != '\t') || b == 0x7f) {
                    return "malformed quoted string in a chunk extension";
                }
                extState = 6;
            }
            default -> throw new IllegalStateException();
        }
        if (b == '\r' && extState != 2 && extState != 3 && extState != 5 && extState != 8) {
            return "malformed chunk extension";
        }
        return null;
    }

    static boolean isTchar(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                || (b > 0 && "!#$%&'*+-.^_`|~".indexOf(b) >= 0);
    }

    private static boolean isHex(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
