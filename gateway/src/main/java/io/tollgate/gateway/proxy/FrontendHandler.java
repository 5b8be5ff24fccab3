package io.tollgate.gateway.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.tollgate.gateway.core.Exchange;
import io.tollgate.gateway.core.Pipeline;
import io.tollgate.gateway.core.Outcome;
import io.tollgate.gateway.core.Rejection;
import io.tollgate.gateway.core.Route;
import io.tollgate.shared.net.TrustedProxies;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One client connection. Reading pauses whenever something waits: a pipelined request is queued and the
 * socket is not read further until the current request is answered; body chunks are read only as fast as
 * the upstream takes them (at most 16 queued while the request is being decided). The entrance ({@link Inbound})
 * normalises each request, the pipeline decides it on this connection's event loop, and the outbound side
 * ({@link Outbound}) readies what is forwarded; the upstream connection comes from the same loop's pool.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {
    private static final Rejection MALFORMED_BODY = Rejection.badRequest("malformed request body framing");
    private static final Rejection BODY_TIMEOUT = new Rejection(408, Outcome.BAD_REQUEST, "invalid_request",
            "the request body did not arrive in time", Map.of());
    private final Inbound inbound;
    private final TrustedProxies trustedProxies;
    private final Pipeline pipeline;
    private final UpstreamPool upstreams;
    private final ProxyObserver observer;
    /** How long a connection may wait for a request before it is closed ({@code proxy.clientIdleTimeout}). */
    private final long idleNanos;
    private ChannelHandlerContext ctx;

    // The exchange in progress (event-loop confined).
    private Exchange exchange;
    private HttpRequest request;
    private boolean keepAlive;
    private boolean requestDone;
    private boolean decided;
    private final ArrayDeque<HttpContent> pending = new ArrayDeque<>();
    private final ArrayDeque<Object> backlog = new ArrayDeque<>();
    private Channel upstream;
    private URI upstreamUri;
    private boolean responseStarted;
    private boolean headRequest;
    private int status;
    private long upstreamStartNanos;
    private long lastUpstreamActivity;
    /** The upstream read timeout of the exchange in progress. */
    private long readTimeoutNanos;
    /** The scheduled upstream timeout check, null when none is; and when it falls due ({@link System#nanoTime}). */
    private ScheduledFuture<?> timeout;
    private long timeoutDueNanos;
    private final Runnable checkTimeout = this::checkTimeout;
    /** When the connection last began waiting for a request: opened, or its last exchange answered. */
    private long idleSinceNanos;
    /** The client's unsent answer bytes at the previous idle check (a reader that takes none is not active). */
    private long unsentAtCheck = -1;
    private final Runnable checkIdle = this::checkIdle;
    private ScheduledFuture<?> idleCheck;
    private ClientConnection client;
    private final RequestFraming framing = new RequestFraming();
    /** The request body's framing broke while the request was being decided or connected: answer 400, never proxy. */
    private boolean bodyFailed;
    /** An answer with Connection: close is on its way: nothing more the client sent is read or acted on. */
    private boolean ending;
    /** Starts paused: the server's channels are created with autoRead off. */
    private boolean paused = true;

    FrontendHandler(Inbound inbound, TrustedProxies trustedProxies, Pipeline pipeline, UpstreamPool upstreams,
                    ProxyObserver observer, long idleNanos) {
        this.inbound = inbound;
        this.trustedProxies = trustedProxies;
        this.pipeline = pipeline;
        this.upstreams = upstreams;
        this.observer = observer;
        this.idleNanos = idleNanos;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.client = ClientConnection.of(ctx.channel(), trustedProxies);
        idleSinceNanos = System.nanoTime();
        scheduleIdleCheck(idleNanos);
        resumeReading();
    }

    /**
     * The client idle timeout, one scheduled check per connection that schedules itself again, not a task or a
     * write listener per request: a connection that has waited {@link #idleNanos} for a request since it opened or
     * since its last answer is closed, unless its client is still taking that answer's bytes. An exchange in
     * progress is never cut here: its upstream and body timeouts ({@link #checkTimeout}) apply. Bytes of a request
     * head trickling in do not count as activity, so a client cannot hold the connection open that way.
     */
    private void checkIdle() {
        idleCheck = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        long waited = System.nanoTime() - idleSinceNanos;
        if (exchange != null || waited < idleNanos) {
            scheduleIdleCheck(exchange != null ? idleNanos : idleNanos - waited);
            return;
        }
        var outbound = ctx.channel().unsafe().outboundBuffer();
        long unsent = outbound == null ? 0 : outbound.totalPendingWriteBytes();
        if (unsent > 0 && unsent != unsentAtCheck) {
            unsentAtCheck = unsent; // the client is still reading the last answer
            scheduleIdleCheck(idleNanos);
            return;
        }
        ctx.close();
    }

    private void scheduleIdleCheck(long delayNanos) {
        idleCheck = ctx.channel().eventLoop().schedule(checkIdle, delayNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Reading is paused only while something waits: a pipelined request, body chunks the upstream cannot take
     * yet. A client that sends one request at a time never pauses, so the socket's read interest is never
     * toggled (with explicit reads, epoll would be told twice per request).
     */
    private void pauseReading() {
        if (!paused) {
            paused = true;
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void resumeReading() {
        if (paused) {
            paused = false;
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (ending) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (exchange != null && requestDone) {
            backlog.add(msg); // a pipelined request: answered after the current one
            pauseReading();
            return;
        }
        if (msg instanceof HttpRequest req) {
            if (exchange != null) {
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            if (req.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                writeBareError(Rejection.badRequest("malformed HTTP request"));
                return;
            }
            begin(req);
        }
        if (msg instanceof HttpContent content) {
            requestContent(content);
        } else if (!(msg instanceof HttpRequest)) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (upstream != null) {
            upstream.flush();
        }
    }

    private void begin(HttpRequest req) {
        request = req;
        requestDone = false;
        decided = false;
        bodyFailed = false;
        responseStarted = false;
        headRequest = HttpMethod.HEAD.equals(req.method());
        String requestId = Headers.requestId(req.headers().get(Headers.REQUEST_ID));
        Rejection refusal = inbound.normalize(req, client, framing);
        keepAlive = framing.keepAlive && refusal == null; // after a refused request, where the next starts is in doubt
        Exchange ex = new Exchange(req.method().name(), req.uri(), req.headers(), requestId, System.nanoTime());
        ex.traceparent(inbound.trace(req.headers()));
        exchange = ex;
        ex.eventLoop(ctx.channel().eventLoop());
        ex.scheme(client.scheme());
        // The verdict is always applied from the loop's task queue, after this read's body chunks are seen.
        var loop = ctx.channel().eventLoop();
        if (refusal != null) {
            loop.execute(() -> decide(ex, refusal));
            return;
        }
        pipeline.run(ex, loop, new Verdict(ex, loop));
    }

    /** The pipeline's verdict on a request, and the task that applies it on the connection's loop (one object). */
    private final class Verdict implements Consumer<Rejection>, Runnable {
        private final Exchange exchange;
        private final EventLoop loop;
        private Rejection rejection;

        Verdict(Exchange exchange, EventLoop loop) {
            this.exchange = exchange;
            this.loop = loop;
        }

        @Override
        public void accept(Rejection rejection) {
            this.rejection = rejection; // seen by run(): the loop's task queue hands it over
            loop.execute(this);
        }

        @Override
        public void run() {
            decide(exchange, rejection);
        }
    }

    private void requestContent(HttpContent content) {
        if (exchange == null) {
            content.release();
            return;
        }
        if (content.decoderResult().isFailure()) {
            bodyFramingFailed(content);
            return;
        }
        if (content instanceof LastHttpContent last) {
            requestDone = true;
            if (!last.trailingHeaders().isEmpty()) {
                content = new DefaultLastHttpContent(last.content()); // trailers are dropped, never forwarded
            }
        }
        if (upstream != null) {
            lastUpstreamActivity = System.nanoTime(); // body bytes moving keep the exchange alive
            upstream.write(content);
            if (requestDone) {
                upstream.flush();
            } else if (!upstream.isWritable()) {
                pauseReading(); // resumed by upstreamWritable()
            }
            return;
        }
        pending.add(content); // still deciding, or connecting to the upstream
        if (!requestDone && pending.size() >= 16) {
            pauseReading(); // resumed once the upstream connection takes the pending chunks
        }
    }

    /**
     * The decoder found the body's framing broken (a bad chunk size, say) and discards the rest of the connection.
     * The request must never look complete upstream: a partly sent request's upstream connection is cut before
     * its terminating chunk; otherwise the request is answered 400 instead of being proxied.
     */
    private void bodyFramingFailed(HttpContent content) {
        content.release();
        keepAlive = false;
        requestDone = true;
        releasePending();
        if (upstream == null) {
            bodyFailed = true; // decide() or the connect listener answers
            return;
        }
        abandonUpstream(MALFORMED_BODY);
    }

    private void decide(Exchange ex, Rejection rejection) {
        if (ex != exchange) {
            return;
        }
        decided = true;
        if (!ctx.channel().isActive()) {
            releasePending();
            return;
        }
        if (rejection != null || bodyFailed) {
            releasePending();
            respond(rejection != null ? rejection : MALFORMED_BODY);
            return;
        }
        Route route = ex.route();
        URI target = route.nextUpstream();
        upstreamUri = target;
        Channel pooled = upstreams.pooled(target);
        if (pooled != null) {
            send(pooled, route, target); // a keep-alive connection of this loop: no future, no listener
            return;
        }
        upstreams.acquire(ctx.channel().eventLoop(), target,
                (int) route.config().connectTimeout.toMilliseconds()).addListener(f -> {
                    if (ex != exchange) {
                        if (f.isSuccess()) {
                            ((Channel) f.getNow()).close();
                        }
                        return;
                    }
                    if (!f.isSuccess() || bodyFailed) {
                        if (f.isSuccess()) {
                            ((Channel) f.getNow()).close();
                        }
                        releasePending();
                        if (bodyFailed) {
                            respond(MALFORMED_BODY);
                            return;
                        }
                        respond(f.cause() instanceof ConnectTimeoutException ? Rejection.gatewayTimeout()
                                : Rejection.badGateway());
                        return;
                    }
                    send((Channel) f.getNow(), route, target);
                });
    }

    private void send(Channel ch, Route route, URI target) {
        if (!ctx.channel().isActive()) {
            releasePending();
            ch.close();
            return;
        }
        upstream = ch;
        ch.pipeline().get(UpstreamHandler.class).attach(this);
        HttpRequest out = request; // the decoded request goes upstream itself
        Outbound.request(out, route, target, exchange.requestId(), framing);
        boolean expectContinue = framing.expectContinue;
        upstreamStartNanos = System.nanoTime();
        lastUpstreamActivity = upstreamStartNanos;
        // A promise per write, not the void one: a void promise reports a failed write or flush at once, inside
        // this method, so the 502 would go out before the 100 Continue below and the exchange end under it.
        ch.write(out);
        while (!pending.isEmpty()) {
            ch.write(pending.poll());
        }
        ch.flush();
        armTimeout(route.config().readTimeout.toNanoseconds());
        if (expectContinue) {
            ctx.writeAndFlush(Outbound.continueInterim());
        }
        if (!requestDone && ch.isWritable()) {
            resumeReading();
        }
    }

    /**
     * Watches the exchange's upstream for {@code timeoutNanos} without activity. The check of an earlier exchange on
     * this connection, still scheduled, is kept when it falls due no later than this one would: it finds the new
     * activity and schedules itself again for the rest. So a keep-alive connection does not schedule and cancel a
     * task per request.
     */
    private void armTimeout(long timeoutNanos) {
        readTimeoutNanos = timeoutNanos;
        long dueNanos = lastUpstreamActivity + timeoutNanos;
        if (timeout != null && timeoutDueNanos - dueNanos <= 0) {
            return;
        }
        cancelTimeout();
        scheduleTimeout(timeoutNanos);
    }

    private void scheduleTimeout(long delayNanos) {
        timeoutDueNanos = System.nanoTime() + delayNanos;
        timeout = ctx.channel().eventLoop().schedule(checkTimeout, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    /** The scheduled check: acts on the exchange in progress, if it still waits on its upstream. */
    private void checkTimeout() {
        timeout = null;
        if (upstream == null) {
            return; // no exchange waits on an upstream: the next one schedules a check of its own
        }
        long timeoutNanos = readTimeoutNanos;
        long idle = System.nanoTime() - lastUpstreamActivity;
        if (idle >= timeoutNanos) {
            if (!requestDone && !responseStarted) {
                // The upstream waits for body bytes the client has not sent: the client's timeout, not the upstream's.
                keepAlive = false;
                abandonUpstream(BODY_TIMEOUT);
                return;
            }
            upstreamFailed(upstream, true);
        } else {
            scheduleTimeout(timeoutNanos - idle);
        }
    }

    // ---- callbacks from UpstreamHandler (same event loop) ----

    void upstreamResponse(HttpResponse response) {
        lastUpstreamActivity = System.nanoTime();
        responseStarted = true;
        status = response.status().code();
        Outbound.response(response, exchange, headRequest, keepAlive); // forwarded itself
        // The void promise: a failed write is reported to exceptionCaught, which closes the connection; only the
        // answer's last write needs a listener.
        ctx.write(response, ctx.voidPromise());
    }

    void upstreamContent(Channel ch, HttpContent content) {
        lastUpstreamActivity = System.nanoTime();
        if (content instanceof LastHttpContent) {
            boolean reusable = requestDone && responseStarted;
            detachUpstream();
            if (reusable) {
                upstreams.release(ch, upstreamUri);
            } else {
                ch.close();
            }
            boolean close = !keepAlive || !requestDone;
            if (close) {
                stopReading();
            }
            Exchange ex = exchange;
            int code = status;
            long upstreamNanos = System.nanoTime() - upstreamStartNanos;
            ctx.writeAndFlush(content).addListener(close ? ChannelFutureListener.CLOSE
                    : ChannelFutureListener.CLOSE_ON_FAILURE);
            complete(ex, code, Outcome.PROXIED, upstreamNanos, close);
        } else {
            ctx.write(content, ctx.voidPromise());
            if (!ctx.channel().isWritable()) {
                ch.config().setAutoRead(false);
            }
        }
    }

    void flushClient() {
        ctx.flush();
    }

    void upstreamWritable() {
        if (!requestDone && exchange != null) {
            resumeReading();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && upstream != null) {
            upstream.config().setAutoRead(true);
        }
    }

    void upstreamFailed(Channel ch, boolean timedOut) {
        if (ch != upstream) {
            return;
        }
        abandonUpstream(timedOut ? Rejection.gatewayTimeout() : Rejection.badGateway());
    }

    /**
     * Cuts the upstream connection of the exchange in progress, so the upstream never sees the rest of it; the
     * client gets {@code answer}, or, once the upstream's response has started, a closed connection.
     */
    private void abandonUpstream(Rejection answer) {
        Channel ch = upstream;
        detachUpstream();
        ch.close();
        if (responseStarted) {
            Exchange ex = exchange;
            ctx.close();
            complete(ex, status, Outcome.UPSTREAM_ERROR, System.nanoTime() - upstreamStartNanos, true);
            return;
        }
        respond(answer);
    }

    /** Ends the exchange's use of its upstream connection; a scheduled check stays, to find nothing or a later one. */
    private void detachUpstream() {
        if (upstream != null) {
            UpstreamHandler handler = upstream.pipeline().get(UpstreamHandler.class);
            if (handler != null) {
                handler.detach();
            }
            upstream.config().setAutoRead(true);
            upstream = null;
        }
    }

    // ---- answers of the gateway's own ----

    private void respond(Rejection rejection) {
        Exchange ex = exchange;
        boolean close = !keepAlive || !requestDone;
        if (close) {
            stopReading();
        }
        ctx.writeAndFlush(Outbound.rejection(rejection, ex, !close)).addListener(close ? ChannelFutureListener.CLOSE
                : ChannelFutureListener.CLOSE_ON_FAILURE);
        complete(ex, rejection.status(), rejection.outcome(), 0, close);
    }

    private void writeBareError(Rejection rejection) {
        stopReading();
        ctx.writeAndFlush(Outbound.rejection(rejection, null, false)).addListener(ChannelFutureListener.CLOSE);
    }

    private void complete(Exchange ex, int code, Outcome outcome, long upstreamNanos, boolean closing) {
        exchange = null;
        request = null;
        idleSinceNanos = System.nanoTime();
        unsentAtCheck = -1;
        observer.completed(ex, code, outcome, upstreamNanos);
        if (closing) {
            releaseBacklog();
            return;
        }
        if (!requestDone) {
            return;
        }
        while (!backlog.isEmpty() && !(exchange != null && requestDone)) {
            channelRead(ctx, backlog.poll());
        }
        if (exchange == null || !requestDone) {
            resumeReading();
        }
    }

    /** The connection ends after the answer being written: drop what is queued and read nothing more. */
    private void stopReading() {
        ending = true;
        pauseReading();
        releaseBacklog();
    }

    private void releasePending() {
        while (!pending.isEmpty()) {
            pending.poll().release();
        }
    }

    private void releaseBacklog() {
        while (!backlog.isEmpty()) {
            ReferenceCountUtil.release(backlog.poll());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimeout(); // a closed connection's handler is not kept until its check falls due
        if (idleCheck != null) {
            idleCheck.cancel(false);
            idleCheck = null;
        }
        releasePending();
        releaseBacklog();
        if (upstream != null) {
            Channel ch = upstream;
            detachUpstream();
            ch.close();
        }
        exchange = null;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
