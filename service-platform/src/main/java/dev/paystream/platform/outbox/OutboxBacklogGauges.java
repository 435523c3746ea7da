package dev.paystream.platform.outbox;

import dev.paystream.platform.metrics.BacklogGauges;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * {@code paystream.outbox.pending} (rows not yet acknowledged by Kafka) and
 * {@code paystream.outbox.oldest.pending.age} (seconds since the oldest of them was written): a growing
 * age means events wait to reach Kafka, because the broker is unreachable or the relay is stuck.
 */
public final class OutboxBacklogGauges implements AutoCloseable {

    /** Rows are deleted once published, so the table holds the backlog; the smallest id is the oldest row. */
    static final String BACKLOG = """
            SELECT (SELECT count(*) FROM outbox) AS pending,
                   (SELECT created_at FROM outbox ORDER BY id LIMIT 1) AS oldest""";

    private final BacklogGauges gauges;

    public OutboxBacklogGauges(DatabaseClient database, MeterRegistry meters, Clock clock, Duration refresh) {
        this.gauges = new BacklogGauges("paystream.outbox", "outbox rows not yet acknowledged by Kafka",
                database.sql(BACKLOG).map(row -> {
                    Long pending = row.get("pending", Long.class);
                    OffsetDateTime oldest = row.get("oldest", OffsetDateTime.class);
                    return new BacklogGauges.Backlog(pending == null ? 0 : pending, oldest == null ? null : oldest.toInstant());
                }).one(),
                meters, clock, refresh);
    }

    @Override
    public void close() {
        gauges.close();
    }
}
