package io.tollgate.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.tollgate.gateway.core.Exchange;
import io.tollgate.gateway.core.RateLimitFields;
import io.tollgate.gateway.core.Rejection;
import io.tollgate.gateway.core.Route;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The outbound side: the header work on what leaves the gateway, after the entrance ({@link Inbound}) and the
 * pipeline. It only adds to what the entrance normalised: the upstream's {@code Host}, the correlation id, the
 * framing the gateway decided, the pipeline's response fields. Messages are edited in place: copying them into new
 * ones would validate every name and value a second time.
 */
final class Outbound {
    private Outbound() {
    }

    /** Readies the client's decoded request to go to {@code target}, one of {@code route}'s upstreams. */
    static void request(HttpRequest request, Route route, URI target, String requestId, RequestFraming framing) {
        HttpHeaders headers = request.headers();
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        request.setUri(route.upstreamUri(target, request.uri()));
        headers.set(HttpHeaderNames.HOST, route.hostHeader(target));
        headers.set(Headers.REQUEST_ID, requestId);
        if (framing.chunked) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        } else if (framing.contentLength >= 0) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, framing.contentLength);
        }
    }

    /**
     * Readies the upstream's response for the client: hop-by-hop headers removed, framed for HTTP/1.1 (no body
     * for HEAD, 1xx, 204 and 304), the correlation id and the pipeline's response fields added.
     */
    static void response(HttpResponse response, Exchange exchange, boolean headRequest, boolean keepAlive) {
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        HttpHeaders headers = response.headers();
        Headers.removeHopByHop(headers);
        int status = response.status().code();
        boolean bodyless = headRequest || status == 204 || status == 304 || status < 200;
        if (bodyless) {
            if (!headRequest) {
                headers.remove(HttpHeaderNames.CONTENT_LENGTH);
            }
        } else if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            HttpUtil.setTransferEncodingChunked(response, true);
        }
        headers.set(Headers.REQUEST_ID, exchange.requestId());
        RateLimitFields limits = exchange.responseHeaders(); // read directly: no lambda per response
        if (limits.policy() != null) {
            headers.set(Headers.name(RateLimitFields.POLICY), limits.policy());
            headers.set(Headers.name(RateLimitFields.RATE_LIMIT), limits.rateLimit());
        }
        HttpUtil.setKeepAlive(response, keepAlive);
    }

    /** {@code 100 Continue}, sent once the request is admitted and its upstream connected (RFC 9110 §10.1.1). */
    static FullHttpResponse continueInterim() {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE);
    }

    /**
     * The gateway's own answer: a small JSON body, never cached; with the exchange's correlation id and response
     * fields when there is one ({@code exchange} null: the request could not be decoded).
     */
    static FullHttpResponse rejection(Rejection rejection, Exchange exchange, boolean keepAlive) {
        ByteBuf body = Unpooled.copiedBuffer(rejection.body(), StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(rejection.status()), body);
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        headers.set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        headers.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (exchange != null) {
            headers.set(Headers.REQUEST_ID, exchange.requestId());
            exchange.responseHeaders().forEach(headers::set);
        }
        rejection.headers().forEach(headers::set);
        HttpUtil.setKeepAlive(response, keepAlive);
        return response;
    }
}
