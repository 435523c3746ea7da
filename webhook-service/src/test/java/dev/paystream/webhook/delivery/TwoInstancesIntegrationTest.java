package dev.paystream.webhook.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.platform.workqueue.WorkQueueWorker;
import dev.paystream.webhook.delivery.adapter.http.NettySender;
import dev.paystream.webhook.delivery.adapter.r2dbc.R2dbcDeliveries;
import dev.paystream.webhook.delivery.application.DeliveryAttempts;
import dev.paystream.webhook.delivery.application.EndpointGates;
import dev.paystream.webhook.delivery.domain.RetrySchedule;
import dev.paystream.webhook.support.Events;
import dev.paystream.webhook.support.Receiver;
import dev.paystream.webhook.support.WebhookServiceTest;
import dev.paystream.webhook.destination.TargetPolicy;
import dev.paystream.webhook.endpoint.SecretsAtRest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * Two instances against one database: this test's service and a second attempts worker with its own
 * connections, HTTP client and gates, as another webhook-service would have. Every attempt is sent
 * once: a receiver failing twice per event sees exactly three requests for each.
 */
class TwoInstancesIntegrationTest extends WebhookServiceTest {

    @Test
    void twoInstancesSendEachAttemptOnce() {
        String merchant = newMerchantId();
        AtomicInteger attemptsBySecondInstance = new AtomicInteger();
        var connections = ConnectionFactories.get(ConnectionFactoryOptions.parse(database.r2dbcUrl()).mutate()
                .option(ConnectionFactoryOptions.USER, database.user())
                .option(ConnectionFactoryOptions.PASSWORD, database.password())
                .build());
        DatabaseClient secondDatabase = DatabaseClient.create(connections);
        // The second instance finds the sealing key the first one generated and kept in the database.
        R2dbcDeliveries deliveries = new R2dbcDeliveries(secondDatabase, SecretsAtRest.prepare(secondDatabase, null).block());
        List<Events.Event> events = IntStream.range(0, 20).mapToObj(i -> Events.paymentCaptured(merchant)).toList();
        try (Receiver receiver = Receiver.failingTimesPerEvent(2);
             Receiver otherReceiver = Receiver.failingTimesPerEvent(2);
             NettySender sender = new NettySender(TargetPolicy.withSystemResolver(true), Duration.ofSeconds(1), 8)) {
            DeliveryAttempts attempts = new DeliveryAttempts(deliveries, sender,
                    new EndpointGates(new EndpointGates.Settings(8, 50, 1000, 1000, Duration.ofSeconds(1))),
                    new RetrySchedule(List.of(Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofMillis(200))),
                    Duration.ofMillis(100), Clock.systemUTC(), new SimpleMeterRegistry());
            WorkQueueWorker second = new WorkQueueWorker(deliveries.queue(),
                    item -> Mono.fromRunnable(attemptsBySecondInstance::incrementAndGet).then(attempts.attempt(item)),
                    new WorkQueueWorker.Settings(8, Duration.ofMillis(20), Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMinutes(1),
                            Integer.MAX_VALUE).withConcurrency(8),
                    new SimpleMeterRegistry());
            second.start();
            try {
                createEndpoint(merchant, receiver.url("/a"), List.of("*"));
                createEndpoint(merchant, otherReceiver.url("/b"), List.of("*"));

                Events.publish(events.toArray(Events.Event[]::new));

                for (Events.Event event : events) {
                    deliveriesOf(merchant, event.id(), allWithStatus(2, "delivered"));
                }
            } finally {
                second.stop();
            }
            for (Receiver each : List.of(receiver, otherReceiver)) {
                for (Events.Event event : events) {
                    assertThat(each.requestsFor(event.id())).as(event.id()).hasSize(3);
                }
                assertThat(each.requests()).hasSize(20 * 3);
            }
            assertThat(attemptsBySecondInstance.get()).as("the second instance took part").isPositive();
        }
    }
}
