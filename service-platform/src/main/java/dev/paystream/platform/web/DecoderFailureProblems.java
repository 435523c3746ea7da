package dev.paystream.platform.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers a request that Netty's HTTP decoder refused (a request line or headers over its limits, a
 * malformed request) with a problem of CONTRACT §1 — {@code application/problem+json}, a code, a
 * request id — instead of Reactor Netty's bare 414/431/400 with an empty body (found by the hostile-input
 * fuzzing: a 5,000-character path id, a 10,000-character Idempotency-Key). Such a request never reaches
 * Spring, so the problem is written here, in the channel, and the connection is closed: the decoder
 * discards the rest of what the client sends.
 *
 * <p>One instance per channel (it remembers that the channel failed), placed before Reactor Netty's
 * traffic handler.
 */
final class DecoderFailureProblems extends ChannelInboundHandlerAdapter {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private boolean failed;

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
        if (failed) {
            ReferenceCountUtil.release(message);
            return;
        }
        DecoderResult result = message instanceof HttpObject object ? object.decoderResult() : null;
        if (result == null || !result.isFailure()) {
            context.fireChannelRead(message);
            return;
        }
        failed = true;
        ReferenceCountUtil.release(message);
        context.writeAndFlush(response(problemFor(result.cause()), RequestIdFilter.newRequestId()))
                .addListener(ChannelFutureListener.CLOSE);
    }

    static Problem problemFor(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return Problem.of(HttpStatus.URI_TOO_LONG, "request_line_too_long",
                    "The request line (method, path and query) is longer than the server accepts");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return Problem.of(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request_headers_too_large",
                    "The request's headers are larger than the server accepts");
        }
        return Problem.of(HttpStatus.BAD_REQUEST, "malformed_request", "The request is not valid HTTP/1.1");
    }

    static FullHttpResponse response(Problem problem, String requestId) {
        byte[] body = JSON.writeValueAsBytes(ProblemJsonExceptionHandler.body(problem, requestId));
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(problem.status().value()),
                Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(RequestIdFilter.HEADER, requestId)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }
}
