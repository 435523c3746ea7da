package dev.paystream.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * Counts in this JVM only: exact for a single gateway, and per replica when there are several. It
 * is the local default (no Redis configured) and the fallback while Redis is unreachable.
 */
public final class InMemoryRateLimiter implements RateLimiter {

    /** Far more keys than one gateway serves in a minute; beyond it the least recent windows are dropped. */
    private static final int MAX_TRACKED_KEYS = 100_000;

    private record Window(long startMillis, long count) {
    }

    private final Clock clock;
    private final Cache<String, Window> windows = Caffeine.newBuilder()
            .maximumSize(MAX_TRACKED_KEYS)
            .expireAfterWrite(WINDOW.multipliedBy(2))
            .build();

    public InMemoryRateLimiter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Mono<RateLimit> acquire(String apiKeyId, int limitPerMinute) {
        return Mono.fromSupplier(() -> acquireNow(apiKeyId, limitPerMinute));
    }

    RateLimit acquireNow(String apiKeyId, int limitPerMinute) {
        long now = clock.millis();
        Window window = windows.asMap().compute(apiKeyId, (key, current) ->
                current == null || now - current.startMillis() >= WINDOW.toMillis()
                        ? new Window(now, 1)
                        : new Window(current.startMillis(), current.count() + 1));
        Duration resetAfter = Duration.ofMillis(window.startMillis() + WINDOW.toMillis() - now);
        return RateLimit.fromCount(window.count(), limitPerMinute, resetAfter);
    }
}
