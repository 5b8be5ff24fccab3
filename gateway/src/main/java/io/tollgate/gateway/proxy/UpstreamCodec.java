package io.tollgate.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;

/**
 * The HTTP/1.1 codec of an upstream connection: Netty's request encoder, and Netty's response decoder told which
 * request each response answers, as Netty's {@code HttpClientCodec} pairs them (a response to {@code HEAD} has no
 * body whatever its fields say; a 1xx answers no request). Every byte of a response is still read, checked and
 * framed by Netty's decoder. What differs: a header name, protocol version, status code or reason phrase that
 * arrives in exactly the bytes of a common one becomes a shared constant instead of a new copy per response; any
 * other spelling is copied as before, so what is relayed is byte for byte what the upstream sent.
 * <p>
 * The gateway never sends {@code CONNECT} upstream (the entrance answers it 405), so no response here opens a
 * tunnel: every response is parsed as HTTP.
 */
final class UpstreamCodec extends CombinedChannelDuplexHandler<HttpResponseDecoder, HttpRequestEncoder> {
    /** Response header names in their usual spellings, and Netty's lower-case constants of the same names. */
    static final AsciiString[] COMMON_NAMES = commonNames();
    private static final String[] VERSIONS = {"HTTP/1.1", "HTTP/1.0"};
    private static final HttpResponseStatus[] STATUSES = {HttpResponseStatus.OK, HttpResponseStatus.CREATED,
        HttpResponseStatus.ACCEPTED, HttpResponseStatus.NO_CONTENT, HttpResponseStatus.MOVED_PERMANENTLY,
        HttpResponseStatus.FOUND, HttpResponseStatus.NOT_MODIFIED, HttpResponseStatus.BAD_REQUEST,
        HttpResponseStatus.UNAUTHORIZED, HttpResponseStatus.FORBIDDEN, HttpResponseStatus.NOT_FOUND,
        HttpResponseStatus.TOO_MANY_REQUESTS, HttpResponseStatus.INTERNAL_SERVER_ERROR,
        HttpResponseStatus.BAD_GATEWAY, HttpResponseStatus.SERVICE_UNAVAILABLE, HttpResponseStatus.GATEWAY_TIMEOUT};
    private static final String[] CODES = Arrays.stream(STATUSES).map(s -> s.codeAsText().toString())
            .toArray(String[]::new);
    private static final String[] REASONS = Arrays.stream(STATUSES).map(HttpResponseStatus::reasonPhrase)
            .toArray(String[]::new);

    private static AsciiString[] commonNames() {
        String[] usual = {"Server", "Date", "Content-Type", "Content-Length", "Connection", "Keep-Alive",
            "Transfer-Encoding", "Cache-Control", "ETag", "Last-Modified", "Expires", "Vary", "Location",
            "Accept-Ranges", "Content-Encoding", "Set-Cookie", "Pragma", "Strict-Transport-Security",
            "X-Content-Type-Options", "Access-Control-Allow-Origin"};
        AsciiString[] lower = {HttpHeaderNames.SERVER, HttpHeaderNames.DATE, HttpHeaderNames.CONTENT_TYPE,
            HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.CACHE_CONTROL, HttpHeaderNames.ETAG,
            HttpHeaderNames.LAST_MODIFIED, HttpHeaderNames.EXPIRES, HttpHeaderNames.VARY, HttpHeaderNames.LOCATION,
            HttpHeaderNames.CONTENT_ENCODING, HttpHeaderNames.SET_COOKIE};
        AsciiString[] names = new AsciiString[usual.length + lower.length + 1];
        for (int i = 0; i < usual.length; i++) {
            names[i] = AsciiString.cached(usual[i]);
        }
        System.arraycopy(lower, 0, names, usual.length, lower.length);
        names[names.length - 1] = Headers.REQUEST_ID;
        return names;
    }

    /** The methods of the requests sent whose final responses have not yet begun, oldest first. */
    private final Queue<HttpMethod> methods = new ArrayDeque<>(2);

    UpstreamCodec(HttpDecoderConfig config) {
        init(new ResponseDecoder(config), new RequestEncoder());
    }

    /** Netty's request encoder, noting each request's method for the decoder. */
    private final class RequestEncoder extends HttpRequestEncoder {
        @Override
        protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
            if (msg instanceof HttpRequest request) {
                methods.offer(request.method());
            }
            super.encode(ctx, msg, out);
        }
    }

    /**
     * Netty's response decoder, with the common words shared and each response paired with its request; a whole
     * response in the common case is read by {@link CommonResponseHeadParser} instead, when Netty's decoder stands
     * between two responses.
     */
    private final class ResponseDecoder extends HttpResponseDecoder {
        private final CommonResponseHeadParser responses;
        /** Netty's decoder stands between two responses: it has completed the last and not begun the next. */
        private boolean between = true;
        /** Netty's decoder refused a response, or a 101 switched the connection away from HTTP/1.1: only it reads. */
        private boolean nettyOnly;

        ResponseDecoder(HttpDecoderConfig config) {
            super(config);
            responses = new CommonResponseHeadParser(STATUSES, config.getMaxChunkSize());
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            if (between && !nettyOnly && responses.parse(buffer, out, methods)) {
                return;
            }
            int before = out.size();
            super.decode(ctx, buffer, out);
            for (int i = before; i < out.size(); i++) {
                Object o = out.get(i);
                if (o instanceof HttpObject object && object.decoderResult().isFailure()
                        || o instanceof HttpResponse response && response.status().code() == 101
                        || o instanceof ByteBuf) {
                    nettyOnly = true;
                }
            }
            // Netty's decoder leaves its state between responses only by completing one (it moves on to the
            // status line even before a byte of it has arrived)
            between = out.size() > before && out.get(out.size() - 1) instanceof LastHttpContent;
        }

        /** A 1xx answers no request; a final response answers the oldest request, and one to HEAD has no body. */
        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage msg) {
            HttpResponse response = (HttpResponse) msg;
            if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                return super.isContentAlwaysEmpty(msg);
            }
            HttpMethod method = methods.poll();
            return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
        }

        @Override
        protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
            AsciiString name = KnownWords.name(COMMON_NAMES, sb, start, length);
            return name != null ? name : super.splitHeaderName(sb, start, length);
        }

        @Override
        protected String splitFirstWordInitialLine(byte[] line, int start, int length) {
            String known = KnownWords.word(VERSIONS, line, start, length);
            return known != null ? known : super.splitFirstWordInitialLine(line, start, length);
        }

        @Override
        protected String splitSecondWordInitialLine(byte[] line, int start, int length) {
            String known = KnownWords.word(CODES, line, start, length);
            return known != null ? known : super.splitSecondWordInitialLine(line, start, length);
        }

        @Override
        protected String splitThirdWordInitialLine(byte[] line, int start, int length) {
            String known = KnownWords.word(REASONS, line, start, length);
            return known != null ? known : super.splitThirdWordInitialLine(line, start, length);
        }
    }
}
