package dev.paystream.platform.idempotency;

import dev.paystream.platform.web.ProblemJsonExceptionHandler;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.util.unit.DataSize;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.Disposable;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Idempotency keys for the POST paths listed in {@code paystream.idempotency.required-paths}
 * (path patterns such as {@code /v1/payments/{id}/capture}), and for those of
 * {@code paystream.idempotency.optional-paths} when the request carries one, kept {@code paystream.idempotency.retention}
 * (24 h) and then deleted by a periodic cleanup.
 */
@Configuration(proxyBeanMethods = false)
public class IdempotencyConfiguration {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyConfiguration.class);

    @Bean
    IdempotencyStore idempotencyStore(DatabaseClient database,
                                      @Value("${paystream.idempotency.retention:24h}") Duration retention,
                                      @Value("${paystream.idempotency.in-progress-timeout:60s}") Duration inProgressTimeout) {
        return new IdempotencyStore(database, retention, inProgressTimeout);
    }

    @Bean
    IdempotencyFilter idempotencyFilter(IdempotencyStore store, ProblemJsonExceptionHandler problems, DatabaseClient database,
                                        JsonMapper jsonMapper, MeterRegistry meters,
                                        @Value("${paystream.idempotency.required-paths}") List<String> requiredPaths,
                                        @Value("${paystream.idempotency.optional-paths:}") List<String> optionalPaths,
                                        @Value("${paystream.idempotency.fingerprint-secret:${PAYSTREAM_IDEMPOTENCY_SECRET:}}") String fingerprintSecret,
                                        @Value("${spring.http.codecs.max-in-memory-size:64KB}") DataSize bodyLengthMax) {
        PathPatternParser parser = PathPatternParser.defaultInstance;
        Mono<RequestFingerprints> fingerprints = fingerprintSecret(database, fingerprintSecret)
                .map(secret -> new RequestFingerprints(secret, jsonMapper))
                // Kept once known; a failure to read it (the database is down) is tried again on the next request.
                .cache(secret -> Duration.ofMillis(Long.MAX_VALUE), failure -> Duration.ZERO, () -> Duration.ZERO);
        return new IdempotencyFilter(requiredPaths.stream().map(parser::parse).toList(),
                optionalPaths.stream().filter(path -> !path.isBlank()).map(parser::parse).toList(), store, fingerprints, problems,
                (int) bodyLengthMax.toBytes(), meters);
    }

    /**
     * The key of the request fingerprints: {@code paystream.idempotency.fingerprint-secret}
     * ({@code PAYSTREAM_IDEMPOTENCY_SECRET}, at least 32 characters) or, when the deployment gives
     * none, one the service generates once and keeps in its own database, so that fingerprints stay
     * comparable across restarts and instances.
     */
    private static Mono<byte[]> fingerprintSecret(DatabaseClient database, String configured) {
        if (!configured.isEmpty()) {
            if (configured.length() < 32) {
                throw new IllegalStateException("paystream.idempotency.fingerprint-secret must have at least 32 characters");
            }
            return Mono.just(configured.getBytes(StandardCharsets.UTF_8));
        }
        byte[] generated = new byte[32];
        new SecureRandom().nextBytes(generated);
        return database.sql("""
                        WITH created AS (INSERT INTO platform_secrets (name, value) VALUES ('idempotency_fingerprint', :value)
                                         ON CONFLICT (name) DO NOTHING RETURNING value)
                        SELECT value FROM created UNION ALL SELECT value FROM platform_secrets WHERE name = 'idempotency_fingerprint'
                        LIMIT 1""")
                .bind("value", ByteBuffer.wrap(generated))
                .map(row -> {
                    ByteBuffer value = row.get("value", ByteBuffer.class);
                    byte[] secret = new byte[value.remaining()];
                    value.get(secret);
                    return secret;
                })
                .one();
    }

    @Bean
    WebFluxConfigurer idempotentRequestArgumentResolverConfigurer() {
        return new WebFluxConfigurer() {
            @Override
            public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
                configurer.addCustomResolver(new IdempotentRequestArgumentResolver());
            }
        };
    }

    @Bean
    SmartLifecycle idempotencyKeyCleanup(IdempotencyStore store,
                                         @Value("${paystream.idempotency.retention:24h}") Duration retention,
                                         @Value("${paystream.idempotency.cleanup-interval:10m}") Duration interval) {
        return new SmartLifecycle() {
            private Disposable schedule;

            @Override
            public void start() {
                schedule = Flux.interval(interval)
                        .concatMap(tick -> store.deleteOlderThan(Clock.systemUTC().instant().minus(retention))
                                .onErrorResume(failure -> {
                                    log.warn("Idempotency key cleanup failed, retrying in {}: {}", interval, failure.toString());
                                    return reactor.core.publisher.Mono.just(0L);
                                }))
                        .subscribe();
            }

            @Override
            public void stop() {
                schedule.dispose();
            }

            @Override
            public boolean isRunning() {
                return schedule != null && !schedule.isDisposed();
            }
        };
    }
}
