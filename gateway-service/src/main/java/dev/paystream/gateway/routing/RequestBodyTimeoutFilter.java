package dev.paystream.gateway.routing;

import dev.paystream.platform.web.Problem;
import dev.paystream.platform.web.ProblemJsonExceptionHandler;
import dev.paystream.platform.web.RequestIdFilter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.DisconnectedClientHelper;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

/**
 * A request whose body has not fully arrived {@code paystream.request-body-timeout} after its headers
 * is answered with a 408 problem ({@code request_timeout}) on a connection that is then closed.
 *
 * <p>Whatever was handling the request is cancelled first, rather than failed: a proxied call then
 * drops its connection to the service (which can never receive the rest of that body) without the
 * proxy, the route's circuit breaker or the error handler seeing a failure. A client trickling bodies
 * is the client's fault, not a service outage, and must not be able to open a service's circuit or
 * fill the log with stack traces; it is logged at DEBUG only, besides the request's own log line.
 *
 * <p>A client that goes away in the middle of its body is the same case sooner, and handled alike:
 * its body is never failed to whatever reads it (the proxy would log a stack trace for its service
 * connection, a controller's error handler an ERROR), only left unfinished until the handling is
 * cancelled, as Reactor Netty does when the connection closes (logged as 499, with a DEBUG line);
 * should it not, the deadline does.
 *
 * <p>The deadline is one timer on the connection's event loop per request that announces a body,
 * cancelled as soon as the body is complete or the request is answered. A response already being
 * sent is left alone (its status is out); Reactor Netty's own request timeout, a little later,
 * closes such a connection (config/NettyConfiguration).
 */
public final class RequestBodyTimeoutFilter implements WebFilter, Ordered {

    /** Right after the request id, so the deadline counts from the headers and every other filter is inside it. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 1;

    private static final Logger log = LoggerFactory.getLogger(RequestBodyTimeoutFilter.class);

    private final Duration timeout;
    private final ProblemJsonExceptionHandler problems;

    public RequestBodyTimeoutFilter(Duration timeout, ProblemJsonExceptionHandler problems) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("paystream.request-body-timeout must be positive, was " + timeout);
        }
        this.timeout = timeout;
        this.problems = problems;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (!announcesBody(request.getHeaders())) {
            return chain.filter(exchange);
        }
        BodyDeadline deadline = new BodyDeadline(exchange.getResponse());
        ServerHttpRequest watched = new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                return super.getBody()
                        .doOnComplete(deadline::bodyArrived)
                        .onErrorResume(DisconnectedClientHelper::isClientDisconnectedException, gone -> {
                            log.debug("The client of {} {} request_id={} went away before its body was complete: {}",
                                    request.getMethod(), request.getPath().value(), RequestIdFilter.requestId(exchange), gone.toString());
                            deadline.bodyAbandoned();
                            return Flux.never();
                        });
            }
        };
        return chain.filter(exchange.mutate().request(watched).build())
                .takeUntilOther(deadline.expiry(request, timeout))
                .then(Mono.defer(() -> deadline.expired() ? answerTimedOut(exchange) : Mono.empty()));
    }

    private Mono<Void> answerTimedOut(ServerWebExchange exchange) {
        log.debug("The body of {} {} request_id={} did not arrive within {}; answered 408 and closed the connection",
                exchange.getRequest().getMethod(), exchange.getRequest().getPath().value(), RequestIdFilter.requestId(exchange), timeout);
        HttpHeaders headers = exchange.getResponse().getHeaders();
        // The rest of the body may still come: this connection can carry no further request.
        headers.set(HttpHeaders.CONNECTION, "close");
        // Should a service have begun to answer before the cancellation, its length does not describe the problem.
        headers.remove(HttpHeaders.CONTENT_LENGTH);
        headers.remove(HttpHeaders.TRANSFER_ENCODING);
        return problems.write(exchange, Problem.of(HttpStatus.REQUEST_TIMEOUT, "request_timeout",
                "The request body did not arrive in time: send it in full within " + describe(timeout) + " of the headers"));
    }

    static boolean announcesBody(HttpHeaders headers) {
        return headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
    }

    private static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " seconds" : duration.toMillis() + " ms";
    }

    /** Whether a request's body arrived before its deadline; decided once, by whichever comes first. */
    private static final class BodyDeadline {

        private static final int PENDING = 0;
        private static final int ARRIVED = 1;
        private static final int EXPIRED = 2;
        private static final int ABANDONED = 3;

        private final ServerHttpResponse response;
        private final AtomicInteger state = new AtomicInteger(PENDING);
        private volatile Disposable timer;

        BodyDeadline(ServerHttpResponse response) {
            this.response = response;
        }

        /**
         * Emits once the deadline passed with the body still incomplete and nothing answered yet, or
         * with the body abandoned by its client (whose handling should have been cancelled by then); else never.
         */
        Mono<Boolean> expiry(ServerHttpRequest request, Duration timeout) {
            return Mono.create(sink -> {
                timer = schedule(request, timeout, () -> {
                    if (state.get() == ABANDONED || !response.isCommitted() && state.compareAndSet(PENDING, EXPIRED)) {
                        sink.success(true);
                    }
                });
                sink.onDispose(this::cancelTimer);
            });
        }

        void bodyArrived() {
            if (state.compareAndSet(PENDING, ARRIVED)) {
                cancelTimer();
            }
        }

        void bodyAbandoned() {
            state.compareAndSet(PENDING, ABANDONED);
        }

        boolean expired() {
            return state.get() == EXPIRED;
        }

        private void cancelTimer() {
            Disposable current = timer;
            if (current != null) {
                current.dispose();
            }
        }

        /** On the connection's own event loop when served by Reactor Netty, as its own timeouts are. */
        private static Disposable schedule(ServerHttpRequest request, Duration delay, Runnable task) {
            Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
            if (nativeRequest instanceof Connection connection) {
                var scheduled = connection.channel().eventLoop().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                return () -> scheduled.cancel(false);
            }
            return Schedulers.parallel().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
