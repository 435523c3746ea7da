package dev.paystream.gateway.ratelimit;

import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * Counts requests per API key in windows of one minute. A key's window opens with its first request
 * and closes one minute later, so "N requests within a minute of the first" is exact; like any
 * fixed window it lets a client spend one budget at the end of a window and the next at the start of
 * the following one (at most twice the limit over a short span), which is acceptable for abuse
 * protection and far cheaper than a sliding log.
 */
public interface RateLimiter {

    Duration WINDOW = Duration.ofMinutes(1);

    /** Counts one request of {@code apiKeyId} against {@code limitPerMinute}. */
    Mono<RateLimit> acquire(String apiKeyId, int limitPerMinute);
}
