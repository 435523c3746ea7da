package dev.paystream.webhook.delivery.application;

import dev.paystream.platform.metrics.BacklogGauges;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * {@code paystream.webhook.deliveries.pending} and {@code paystream.webhook.deliveries.oldest.pending.age}
 * (seconds), read from the database every {@code refresh} (the platform's {@link BacklogGauges}): the same
 * figures on every instance (aggregate with {@code max}).
 */
public final class PendingDeliveriesGauges implements AutoCloseable {

    private final BacklogGauges gauges;

    public PendingDeliveriesGauges(Deliveries deliveries, MeterRegistry meters, Clock clock, Duration refresh) {
        this.gauges = new BacklogGauges("paystream.webhook.deliveries", "webhook deliveries (not yet delivered nor failed)",
                Mono.defer(deliveries::pending).map(now -> new BacklogGauges.Backlog(now.count(), now.oldestCreatedAt())),
                meters, clock, refresh);
    }

    @Override
    public void close() {
        gauges.close();
    }
}
