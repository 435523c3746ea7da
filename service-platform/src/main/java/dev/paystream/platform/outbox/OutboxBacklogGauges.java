package dev.paystream.platform.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code paystream.outbox.pending} (rows not yet acknowledged by Kafka) and
 * {@code paystream.outbox.oldest.pending.age} (seconds since the oldest of them was written, 0 when
 * there is none), read from the database every {@code refresh}: the same figures on every instance of
 * a service (aggregate with {@code max}). A growing age means events wait to reach Kafka: the broker is
 * unreachable, or the relay is stuck.
 *
 * <p>The age keeps growing between refreshes and while the database does not answer, so an alert on
 * it fires even when the reads fail.
 */
public final class OutboxBacklogGauges implements AutoCloseable {

    /** Rows are deleted once published, so the table holds the backlog; the smallest id is the oldest row. */
    static final String BACKLOG = """
            SELECT (SELECT count(*) FROM outbox) AS pending,
                   (SELECT created_at FROM outbox ORDER BY id LIMIT 1) AS oldest""";

    private final AtomicLong pending = new AtomicLong();
    private final AtomicReference<Instant> oldest = new AtomicReference<>();
    private final Disposable refreshes;

    public OutboxBacklogGauges(DatabaseClient database, MeterRegistry meters, Clock clock, Duration refresh) {
        Gauge.builder("paystream.outbox.pending", pending, AtomicLong::get)
                .description("Outbox rows not yet acknowledged by Kafka (the same figure on every instance)").register(meters);
        Gauge.builder("paystream.outbox.oldest.pending.age", oldest, created -> created.get() == null ? 0
                        : Math.max(0, Duration.between(created.get(), clock.instant()).toMillis() / 1000.0))
                .baseUnit("seconds").description("How long the oldest outbox row has waited to be published").register(meters);
        this.refreshes = Flux.interval(Duration.ZERO, refresh)
                .onBackpressureDrop()
                .concatMap(tick -> database.sql(BACKLOG)
                        .map(row -> {
                            Long count = row.get("pending", Long.class);
                            OffsetDateTime created = row.get("oldest", OffsetDateTime.class);
                            pending.set(count == null ? 0 : count);
                            oldest.set(created == null ? null : created.toInstant());
                            return true;
                        })
                        .one()
                        // The gauges keep their last figures while the database does not answer.
                        .onErrorResume(failure -> Mono.empty()))
                .subscribe();
    }

    @Override
    public void close() {
        refreshes.dispose();
    }
}
