package dev.paystream.platform.metrics;

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
 * Two gauges of a backlog kept in a service's database — {@code <prefix>.pending} (how many items wait)
 * and {@code <prefix>.oldest.pending.age} (seconds since the oldest of them was made, 0 when none
 * waits) — read every {@code refresh}. They are the same figures on every instance of a service
 * (aggregate with {@code max}). The age keeps growing between reads and while the database does not
 * answer (the gauges keep their last figures), so an alert on it fires even when the reads fail.
 */
public final class BacklogGauges implements AutoCloseable {

    /** What a read found: how many items wait, and when the oldest was made (null when none waits). */
    public record Backlog(long pending, Instant oldest) {
    }

    private final AtomicLong pending = new AtomicLong();
    private final AtomicReference<Instant> oldest = new AtomicReference<>();
    private final Disposable refreshes;

    /**
     * @param prefix the gauges' name prefix, e.g. {@code paystream.outbox}
     * @param items  what waits, for the gauges' descriptions, e.g. "outbox rows not yet acknowledged by Kafka"
     * @param read   reads the backlog once per subscription
     */
    public BacklogGauges(String prefix, String items, Mono<Backlog> read, MeterRegistry meters, Clock clock, Duration refresh) {
        Gauge.builder(prefix + ".pending", pending, AtomicLong::get)
                .description("Pending " + items + " (the same figure on every instance)").register(meters);
        Gauge.builder(prefix + ".oldest.pending.age", oldest, created -> created.get() == null ? 0
                        : Math.max(0, Duration.between(created.get(), clock.instant()).toMillis() / 1000.0))
                .baseUnit("seconds").description("How long the oldest of the pending " + items + " has waited").register(meters);
        this.refreshes = Flux.interval(Duration.ZERO, refresh)
                .onBackpressureDrop()
                .concatMap(tick -> read
                        .doOnNext(now -> {
                            pending.set(now.pending());
                            oldest.set(now.oldest());
                        })
                        .onErrorResume(failure -> Mono.empty()))
                .subscribe();
    }

    @Override
    public void close() {
        refreshes.dispose();
    }
}
