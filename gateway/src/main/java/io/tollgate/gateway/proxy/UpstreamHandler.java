package io.tollgate.gateway.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;

/** Relays an upstream connection's response to the client exchange currently attached to it. */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    private FrontendHandler target;

    void attach(FrontendHandler target) {
        this.target = target;
    }

    void detach() {
        this.target = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        FrontendHandler t = target;
        if (t == null) {
            ReferenceCountUtil.release(msg); // nothing asked: an idle connection must not talk
            ctx.close();
            return;
        }
        if (msg instanceof HttpResponse response) {
            if (response.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                t.upstreamFailed(ctx.channel(), false);
                return;
            }
            t.upstreamResponse(response);
        }
        if (msg instanceof HttpContent content) {
            t.upstreamContent(ctx.channel(), content);
        } else if (!(msg instanceof HttpResponse)) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        FrontendHandler t = target;
        if (t != null) {
            t.flushClient();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        FrontendHandler t = target;
        if (t != null && ctx.channel().isWritable()) {
            t.upstreamWritable();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        FrontendHandler t = target;
        if (t != null) {
            t.upstreamFailed(ctx.channel(), false);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        FrontendHandler t = target;
        ctx.close();
        if (t != null) {
            t.upstreamFailed(ctx.channel(), false);
        }
    }
}
