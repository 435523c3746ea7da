package dev.paystream.webhook.delivery.application;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code paystream.webhook.deliveries.pending} and {@code paystream.webhook.deliveries.oldest.pending.age}
 * (seconds), read from the database every {@code refresh}: the same figures on every instance
 * (aggregate with {@code max}).
 */
public final class PendingDeliveriesGauges implements AutoCloseable {

    private final AtomicLong pending = new AtomicLong();
    private final AtomicReference<Instant> oldest = new AtomicReference<>();
    private final Disposable refreshes;

    public PendingDeliveriesGauges(Deliveries deliveries, MeterRegistry meters, Clock clock, Duration refresh) {
        Gauge.builder("paystream.webhook.deliveries.pending", pending, AtomicLong::get)
                .description("Webhook deliveries not yet delivered nor failed").register(meters);
        Gauge.builder("paystream.webhook.deliveries.oldest.pending.age", oldest, created -> created.get() == null ? 0
                        : Math.max(0, Duration.between(created.get(), clock.instant()).toMillis() / 1000.0))
                .baseUnit("seconds").description("How long the oldest pending webhook delivery has waited").register(meters);
        this.refreshes = Flux.interval(Duration.ZERO, refresh)
                .onBackpressureDrop()
                .concatMap(tick -> deliveries.pending()
                        .doOnNext(now -> {
                            pending.set(now.count());
                            oldest.set(now.oldestCreatedAt());
                        })
                        // The gauges keep their last figures while the database does not answer.
                        .onErrorResume(failure -> Mono.empty()))
                .subscribe();
    }

    @Override
    public void close() {
        refreshes.dispose();
    }
}
