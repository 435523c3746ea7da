package dev.paystream.gateway.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything the gateway reads under {@code paystream.*}. Routes themselves are plain Spring Cloud
 * Gateway configuration in application.yml; their URLs come from {@link #services()}.
 *
 * @param adminKey          the operator's key ({@code PAYSTREAM_ADMIN_KEY}); generated into {@code adminKeyFile} when empty
 * @param adminKeyFile      where a generated admin key is written (and read back on the next start)
 * @param gateway           the secret sent to every service with each proxied request
 * @param apiKeyCacheTtl    how long a key lookup is remembered; a revocation clears it at once on this replica
 * @param services          the services behind the gateway, by name, for routes and {@code /v1/health}
 * @param healthTimeout     how long {@code /v1/health} waits for each service's readiness
 * @param healthCacheTtl    how long one round of readiness checks answers {@code /v1/health} (callers meanwhile share it)
 * @param serviceRetryAfter the {@code Retry-After} sent with a 503 when a service is down or timed out
 * @param requestBodyLimit  larger request bodies are refused with a 413 problem
 * @param requestBodyTimeout a request whose body has not fully arrived this long after its headers is answered
 *                          with a 408 problem and its connection closed (a client trickling a body would
 *                          otherwise hold a connection to a service)
 * @param rateLimit         per API key request limits
 * @param failedAuthentications when a client that keeps sending unknown or revoked keys is refused
 * @param circuitBreaker    when a route's circuit opens; it stays open for {@code serviceRetryAfter}
 * @param cors              browser access; off unless origins are listed
 */
@ConfigurationProperties("paystream")
public record GatewayProperties(
        String adminKey,
        @DefaultValue(".paystream/admin.key") Path adminKeyFile,
        @DefaultValue Gateway gateway,
        @DefaultValue("5s") Duration apiKeyCacheTtl,
        Map<String, Service> services,
        @DefaultValue("2s") Duration healthTimeout,
        @DefaultValue("1s") Duration healthCacheTtl,
        @DefaultValue("5s") Duration serviceRetryAfter,
        @DefaultValue("64KB") DataSize requestBodyLimit,
        @DefaultValue("10s") Duration requestBodyTimeout,
        @DefaultValue RateLimit rateLimit,
        @DefaultValue FailedAuthenticationLimit failedAuthentications,
        @DefaultValue CircuitBreaker circuitBreaker,
        @DefaultValue Cors cors) {

    public GatewayProperties {
        services = services == null ? Map.of() : Map.copyOf(services);
    }

    public record Gateway(String token) {
    }

    /**
     * @param url               where the service listens
     * @param connectTimeoutMs  route connect timeout (used by the route's metadata in application.yml)
     * @param responseTimeoutMs route response timeout (used by the route's metadata in application.yml)
     */
    public record Service(URI url, @DefaultValue("1000") long connectTimeoutMs, @DefaultValue("5000") long responseTimeoutMs) {
    }

    /**
     * @param defaultPerMinute limit of a merchant created without {@code rate_limit_per_minute}
     * @param adminPerMinute   limit of the operator's admin key
     * @param redisKeyPrefix   prefix of the counters in Redis, so several deployments can share one server
     * @param redisTimeout     a Redis call slower than this counts as an outage (see README, fail-open)
     */
    public record RateLimit(
            @DefaultValue("100") int defaultPerMinute,
            @DefaultValue("1000") int adminPerMinute,
            @DefaultValue("paystream:rate-limit:") String redisKeyPrefix,
            @DefaultValue("250ms") Duration redisTimeout) {
    }

    /**
     * @param limitPerAddress how many requests with an unknown or revoked key a client address may send per window;
     *                        beyond, its requests with a key are 429 problems until the window ends
     * @param window          opens with an address's first such request
     */
    public record FailedAuthenticationLimit(@DefaultValue("20") int limitPerAddress, @DefaultValue("1m") Duration window) {
    }

    /** Resilience4j settings shared by every route's circuit breaker (one breaker per route). */
    public record CircuitBreaker(
            @DefaultValue("20") int slidingWindowSize,
            @DefaultValue("10") int minimumNumberOfCalls,
            @DefaultValue("50") float failureRateThreshold,
            @DefaultValue("3") int permittedCallsInHalfOpenState) {
    }

    /** Browser (CORS) access. An empty {@code allowedOrigins} list turns CORS off. */
    public record Cors(
            @DefaultValue List<String> allowedOrigins,
            @DefaultValue({"GET", "POST", "PATCH", "DELETE", "OPTIONS"}) List<String> allowedMethods,
            @DefaultValue({"Content-Type", "x-api-key", "Authorization", "Idempotency-Key", "X-Idempotency-Key", "X-Request-Id"})
            List<String> allowedHeaders,
            @DefaultValue({"X-Request-Id", "X-RateLimit-Limit", "X-RateLimit-Remaining", "Retry-After", "Idempotent-Replayed"})
            List<String> exposedHeaders,
            @DefaultValue("30m") Duration maxAge) {
    }
}
