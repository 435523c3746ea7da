package dev.paystream.gateway.ratelimit;

import dev.paystream.gateway.auth.GatewayCaller;
import dev.paystream.platform.web.Problem;
import dev.paystream.platform.web.ProblemJsonExceptionHandler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Applies the caller's per-key limit (CONTRACT §2): every authenticated response carries
 * {@code X-RateLimit-Limit} and {@code X-RateLimit-Remaining}; a request over the limit gets a 429
 * problem with {@code Retry-After}, the seconds until the key's window ends, and counts in
 * {@code paystream.rate_limit.refused}.
 */
public final class RateLimitFilter implements WebFilter, Ordered {

    /** Right after authentication, which says whose budget a request spends. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 30;
    public static final String LIMIT_HEADER = "X-RateLimit-Limit";
    public static final String REMAINING_HEADER = "X-RateLimit-Remaining";

    private final RateLimiter limiter;
    private final ProblemJsonExceptionHandler problems;
    private final Counter refused;

    public RateLimitFilter(RateLimiter limiter, ProblemJsonExceptionHandler problems, MeterRegistry meters) {
        this.limiter = limiter;
        this.problems = problems;
        this.refused = Counter.builder("paystream.rate_limit.refused")
                .description("Requests refused with a 429 because their API key spent its per-minute limit")
                .register(meters);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        GatewayCaller caller = GatewayCaller.of(exchange);
        if (caller == null) {
            return chain.filter(exchange);
        }
        return limiter.acquire(caller.apiKeyId(), caller.rateLimitPerMinute()).flatMap(limit -> {
            HttpHeaders headers = exchange.getResponse().getHeaders();
            headers.set(LIMIT_HEADER, Integer.toString(limit.limit()));
            headers.set(REMAINING_HEADER, Integer.toString(limit.remaining()));
            if (limit.allowed()) {
                return chain.filter(exchange);
            }
            refused.increment();
            long retryAfterSeconds = Math.max(1, (limit.resetAfter().toMillis() + 999) / 1000);
            return problems.write(exchange, Problem.of(HttpStatus.TOO_MANY_REQUESTS, "rate_limited",
                            "This API key may send " + limit.limit() + " requests per minute; retry after "
                                    + retryAfterSeconds + " seconds")
                    .withRetryAfter(Duration.ofSeconds(retryAfterSeconds)));
        });
    }
}
