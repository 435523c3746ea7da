package dev.paystream.gateway.routing;

import org.reactivestreams.Publisher;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Sends a service's response to the client as one write when the service declared a small
 * {@code Content-Length}: status line, headers and body in one TCP segment.
 *
 * <p>The proxy hands a response body on as a stream, and Reactor Netty writes a streamed body in two
 * flushes: the headers as soon as they are known, then the body. For the small JSON answers of this
 * API that is a second {@code sendto} in the gateway and a second wake-up of the client for every
 * request. Joining the body first (it is already arriving: its length is declared and small) lets the
 * response leave as one full message. Responses without a length (streams, server-sent events) and
 * large ones pass through as streams, unbuffered.
 */
public final class SingleWriteResponseFilter implements GlobalFilter, Ordered {

    private final int maxBufferedBytes;

    public SingleWriteResponseFilter(DataSize maxBuffered) {
        this.maxBufferedBytes = Math.toIntExact(maxBuffered.toBytes());
    }

    @Override
    public int getOrder() {
        // Decorates the response before Spring Cloud Gateway's write filter takes the exchange's response.
        return NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 1;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return chain.filter(exchange.mutate().response(new SingleWriteResponse(exchange.getResponse(), maxBufferedBytes)).build());
    }

    static final class SingleWriteResponse extends ServerHttpResponseDecorator {

        private final int maxBufferedBytes;

        SingleWriteResponse(ServerHttpResponse delegate, int maxBufferedBytes) {
            super(delegate);
            this.maxBufferedBytes = maxBufferedBytes;
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            long declaredLength = getHeaders().getContentLength();
            if (body instanceof Mono || declaredLength <= 0 || declaredLength > maxBufferedBytes) {
                return super.writeWith(body);
            }
            return super.writeWith(DataBufferUtils.join(body, maxBufferedBytes));
        }
    }
}
