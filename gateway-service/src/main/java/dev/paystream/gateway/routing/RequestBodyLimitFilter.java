package dev.paystream.gateway.routing;

import dev.paystream.platform.web.Problem;
import dev.paystream.platform.web.ProblemJsonExceptionHandler;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.PayloadTooLargeException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Refuses request bodies over {@code paystream.request-body-limit} with a 413 problem. A declared
 * {@code Content-Length} over the limit is refused before a byte is read or proxied; a chunked body
 * is counted as it streams and cut off at the limit, so the gateway never buffers or forwards more.
 */
public final class RequestBodyLimitFilter implements WebFilter, Ordered {

    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 40;

    private final long limitBytes;
    private final ProblemJsonExceptionHandler problems;

    public RequestBodyLimitFilter(DataSize limit, ProblemJsonExceptionHandler problems) {
        this.limitBytes = limit.toBytes();
        this.problems = problems;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        long declared = request.getHeaders().getContentLength();
        if (declared > limitBytes) {
            return problems.write(exchange, tooLarge());
        }
        if (declared >= 0) {
            return chain.filter(exchange);
        }
        ServerHttpRequest counted = new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                AtomicLong seen = new AtomicLong();
                return super.getBody().handle((buffer, sink) -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > limitBytes) {
                        DataBufferUtils.release(buffer);
                        sink.error(new PayloadTooLargeException(null));
                    } else {
                        sink.next(buffer);
                    }
                });
            }
        };
        return chain.filter(exchange.mutate().request(counted).build());
    }

    private Problem tooLarge() {
        return Problem.of(HttpStatus.PAYLOAD_TOO_LARGE, "request_too_large",
                "The request body is larger than the limit of " + limitBytes + " bytes");
    }
}
