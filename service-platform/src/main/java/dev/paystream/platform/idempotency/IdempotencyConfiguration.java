package dev.paystream.platform.idempotency;

import dev.paystream.platform.web.ProblemJsonExceptionHandler;
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
import reactor.core.publisher.Flux;

/**
 * Idempotency keys for the POST paths listed in {@code paystream.idempotency.required-paths}
 * (path patterns such as {@code /v1/payments/{id}/capture}), kept {@code paystream.idempotency.retention}
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
    IdempotencyFilter idempotencyFilter(IdempotencyStore store, ProblemJsonExceptionHandler problems,
                                        @Value("${paystream.idempotency.required-paths}") List<String> requiredPaths,
                                        @Value("${spring.http.codecs.max-in-memory-size:64KB}") DataSize bodyLengthMax) {
        PathPatternParser parser = PathPatternParser.defaultInstance;
        return new IdempotencyFilter(requiredPaths.stream().map(parser::parse).toList(), store, problems,
                (int) bodyLengthMax.toBytes());
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
