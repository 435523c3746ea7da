package dev.paystream.gateway.ratelimit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

/**
 * Counts in Redis, so the limit holds across every gateway replica that shares the server. One Lua
 * script increments the key's counter and opens its one-minute window atomically.
 *
 * <p>When Redis fails or answers slower than its timeout, the request is counted by the in-process
 * limiter instead (fail-open to local limits, see README): a Redis outage must not become an outage
 * of the payment API, and each replica still enforces the limit on its own. A circuit breaker stops
 * asking Redis for a few seconds after repeated failures, so an outage costs no timeout per request.
 */
public final class RedisRateLimiter implements RateLimiter {

    private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);
    private static final Duration WARNING_INTERVAL = Duration.ofSeconds(30);

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final RedisScript<List<Long>> COUNT_IN_WINDOW = (RedisScript) RedisScript.of("""
            local count = redis.call('INCR', KEYS[1])
            local ttl = redis.call('PTTL', KEYS[1])
            if count == 1 or ttl < 0 then
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
              ttl = tonumber(ARGV[1])
            end
            return {count, ttl}
            """, List.class);

    private final ReactiveStringRedisTemplate redis;
    private final String keyPrefix;
    private final Duration timeout;
    private final RateLimiter fallback;
    private final CircuitBreaker breaker;
    private final Counter fallbacks;
    private final AtomicLong lastWarningMillis = new AtomicLong();

    public RedisRateLimiter(ReactiveStringRedisTemplate redis, String keyPrefix, Duration timeout, RateLimiter fallback,
                            MeterRegistry meters) {
        this.redis = redis;
        this.keyPrefix = keyPrefix;
        this.timeout = timeout;
        this.fallback = fallback;
        this.breaker = CircuitBreaker.of("rate-limit-redis", CircuitBreakerConfig.custom()
                .slidingWindowSize(20)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(5))
                .build());
        this.fallbacks = Counter.builder("paystream.rate_limit.redis_fallbacks")
                .description("Requests counted in-process because Redis was unreachable")
                .register(meters);
    }

    @Override
    public Mono<RateLimit> acquire(String apiKeyId, int limitPerMinute) {
        return redis.execute(COUNT_IN_WINDOW, List.of(keyPrefix + apiKeyId), List.of(Long.toString(WINDOW.toMillis())))
                .next()
                .timeout(timeout)
                .transformDeferred(CircuitBreakerOperator.of(breaker))
                .map(counted -> RateLimit.fromCount(counted.get(0), limitPerMinute, Duration.ofMillis(counted.get(1))))
                .onErrorResume(failure -> {
                    fallbacks.increment();
                    warnAtMostEvery(WARNING_INTERVAL, failure);
                    return fallback.acquire(apiKeyId, limitPerMinute);
                });
    }

    private void warnAtMostEvery(Duration interval, Throwable failure) {
        long now = System.currentTimeMillis();
        long last = lastWarningMillis.get();
        if (now - last >= interval.toMillis() && lastWarningMillis.compareAndSet(last, now)) {
            log.warn("Redis is unreachable for rate limiting ({}); counting per gateway replica until it is back",
                    failure.toString());
        }
    }
}
