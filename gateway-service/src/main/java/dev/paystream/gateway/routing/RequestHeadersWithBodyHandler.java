package dev.paystream.gateway.routing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Sends a proxied request's headers together with the first piece of its body, in one TCP segment.
 *
 * <p>Reactor Netty writes a request whose body is a stream (every proxied request is) as the headers,
 * flushed, and only once that write has completed, the body: two {@code sendto} calls in the gateway
 * and two wake-ups of the service per request. Sits right after the HTTP codec on connections to the
 * services: a request head that announces a body is passed on unflushed and its write reported done
 * at once, so that the body is written next, and the flush that follows the body's first piece sends
 * both. Should the head then fail to reach the socket, the connection is closed, which fails the
 * proxied exchange (a 503 problem) as any broken connection does.
 *
 * <p>A body that is complete (its declared length written, or its last chunk) is flushed at once.
 * Reactor Netty flushes a streamed body from a task queued on the event loop, which runs only after
 * every other connection with data in the same wake-up has been served: under load, proxied requests
 * left the gateway in bursts, each waiting for the whole burst to be processed (~2 ms at 20
 * concurrent requests on two cores; docs/benchmarks.md).
 */
public final class RequestHeadersWithBodyHandler extends ChannelOutboundHandlerAdapter {

    public static final String NAME = "paystream.requestHeadersWithBody";
    private static final long LENGTH_NOT_DECLARED = Long.MIN_VALUE;

    private boolean headersAwaitBody;
    /** Of the request being written: body bytes still to come, or {@link #LENGTH_NOT_DECLARED} (chunked). */
    private long bodyBytesToCome = LENGTH_NOT_DECLARED;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpRequest && headersAwaitBody) {
            // The previous request's body never came, so its head is still unsent in the buffer: this
            // connection can carry no further request. Closing it discards that head.
            ReferenceCountUtil.release(msg);
            promise.setFailure(new IllegalStateException("A request was written before the previous request's body"));
            ctx.close();
            return;
        }
        if (msg instanceof HttpRequest head && !(msg instanceof FullHttpRequest) && announcesBody(head)) {
            headersAwaitBody = true;
            bodyBytesToCome = HttpUtil.isTransferEncodingChunked(head) ? LENGTH_NOT_DECLARED : HttpUtil.getContentLength(head, 0L);
            ctx.write(msg).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            promise.setSuccess();
            return;
        }
        if (msg instanceof HttpRequest) {
            bodyBytesToCome = LENGTH_NOT_DECLARED;
            ctx.write(msg, promise);
            return;
        }
        // A piece of the body: an HttpContent, or the bare ByteBuf that Reactor Netty writes for a streamed body.
        headersAwaitBody = false;
        boolean bodyComplete = completesBody(msg);
        ctx.write(msg, promise);
        if (bodyComplete) {
            ctx.flush();
        }
    }

    /** Whether {@code piece} is the end of the body of the request being written. */
    private boolean completesBody(Object piece) {
        if (piece instanceof LastHttpContent) {
            // The end of a chunked body; after a body of declared length only an empty marker, sent already.
            boolean unsent = bodyBytesToCome == LENGTH_NOT_DECLARED || bodyBytesToCome > 0;
            bodyBytesToCome = LENGTH_NOT_DECLARED;
            return unsent;
        }
        if (bodyBytesToCome <= 0) {
            return false;
        }
        int size = piece instanceof ByteBuf buffer ? buffer.readableBytes()
                : piece instanceof ByteBufHolder holder ? holder.content().readableBytes() : 0;
        bodyBytesToCome -= size;
        return bodyBytesToCome <= 0;
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (!headersAwaitBody) {
            ctx.flush();
        }
    }

    private static boolean announcesBody(HttpRequest head) {
        return HttpUtil.getContentLength(head, -1L) > 0 || HttpUtil.isTransferEncodingChunked(head);
    }
}
