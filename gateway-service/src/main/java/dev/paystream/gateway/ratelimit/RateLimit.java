package dev.paystream.gateway.ratelimit;

import java.time.Duration;

/**
 * The answer for one request: whether it may go on, and what the client is told about its budget.
 *
 * @param limit      requests allowed per window ({@code X-RateLimit-Limit})
 * @param remaining  requests still allowed in the current window ({@code X-RateLimit-Remaining})
 * @param resetAfter time until the current window ends; a refused request's {@code Retry-After}
 */
public record RateLimit(boolean allowed, int limit, int remaining, Duration resetAfter) {

    static RateLimit fromCount(long count, int limit, Duration resetAfter) {
        return new RateLimit(count <= limit, limit, (int) Math.max(0, limit - count), resetAfter);
    }
}
