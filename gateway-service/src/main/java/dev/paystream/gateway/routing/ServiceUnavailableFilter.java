package dev.paystream.gateway.routing;

import dev.paystream.platform.failure.CauseChain;
import dev.paystream.platform.web.Problem;
import dev.paystream.platform.web.ProblemJsonExceptionHandler;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.cloud.gateway.support.ServiceUnavailableException;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;

/**
 * Turns a service that cannot be reached, refuses the connection, times out or is cut off by its
 * circuit breaker into a 503 problem with {@code Retry-After} (CONTRACT §1), instead of the raw
 * 500/502/504 the proxy would otherwise answer. A service's own error responses pass unchanged.
 */
public final class ServiceUnavailableFilter implements GlobalFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ServiceUnavailableFilter.class);

    private final ProblemJsonExceptionHandler problems;
    private final Duration retryAfter;

    /** @param retryAfter also how long a route's open circuit stays open, so the hint is honest */
    public ServiceUnavailableFilter(ProblemJsonExceptionHandler problems, Duration retryAfter) {
        this.problems = problems;
        this.retryAfter = retryAfter;
    }

    @Override
    public int getOrder() {
        // Around every other filter of the route, circuit breaker and proxying included.
        return Ordered.HIGHEST_PRECEDENCE + 100;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return chain.filter(exchange).onErrorResume(ServiceUnavailableFilter::meansServiceUnavailable, failure -> {
            if (exchange.getResponse().isCommitted()) {
                return Mono.error(failure);
            }
            String service = serviceName(exchange);
            if (failure instanceof ServiceUnavailableException) {
                // The circuit is open: its opening was logged already, and one line per refused request would flood the log.
                log.debug("Circuit of {} is open; refused {} {}", service, exchange.getRequest().getMethod(), exchange.getRequest().getPath().value());
            } else {
                log.warn("Service {} is unavailable for {} {}: {}", service, exchange.getRequest().getMethod(),
                        exchange.getRequest().getPath().value(), describe(failure));
            }
            return problems.write(exchange, Problem.of(HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable",
                            "The " + service + " service is unavailable at the moment; retry after " + retryAfter.toSeconds() + " seconds")
                    .withExtension("service", service)
                    .withRetryAfter(retryAfter));
        });
    }

    /** Whether {@code failure} says the service could not be reached in time; also what a route's circuit breaker counts. */
    public static boolean meansServiceUnavailable(Throwable failure) {
        if (failure instanceof ResponseStatusException status) {
            // The proxy's own 504 on a response timeout, and a circuit breaker's 503.
            int code = status.getStatusCode().value();
            return code == HttpStatus.GATEWAY_TIMEOUT.value() || code == HttpStatus.SERVICE_UNAVAILABLE.value()
                    || code == HttpStatus.BAD_GATEWAY.value();
        }
        return CauseChain.first(failure, cause -> cause instanceof ConnectException || cause instanceof UnknownHostException
                || cause instanceof TimeoutException || cause instanceof CallNotPermittedException
                // What the route's circuit breaker filter raises while the circuit is open.
                || cause instanceof ServiceUnavailableException
                || cause instanceof ConnectTimeoutException
                // A route's response timeout (ServiceRoutingFilter).
                || cause instanceof ReadTimeoutException
                || cause instanceof PrematureCloseException
                // A reset or refused connection to the service; never the client's body (that is a 413 problem).
                || (cause instanceof IOException && !(cause instanceof UncheckedIOException))).isPresent();
    }

    /** Route metadata naming the service a route leads to, when the route's id does not (the api-docs routes). */
    public static final String SERVICE = "service";

    private static String serviceName(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        if (route == null) {
            return "upstream";
        }
        return route.getMetadata().get(SERVICE) instanceof String service ? service : route.getId();
    }

    private static String describe(Throwable failure) {
        return failure.getClass().getSimpleName() + (failure.getMessage() != null ? ": " + failure.getMessage() : "");
    }
}
