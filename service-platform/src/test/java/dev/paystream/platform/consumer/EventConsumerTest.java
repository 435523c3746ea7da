package dev.paystream.platform.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.R2dbcBadGrammarException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.transaction.CannotCreateTransactionException;
import reactor.core.publisher.Mono;

/**
 * A consumer's polls as its container hands them over, without a broker: when it throws (so that the
 * container delivers the poll again), when it parks and returns, and what its health and metrics say
 * meanwhile.
 */
class EventConsumerTest {

    private static final Duration STUCK_AFTER = Duration.ofSeconds(60);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final InMemoryParkedEvents parkedEvents = new InMemoryParkedEvents();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final AtomicInteger retriesSeen = new AtomicInteger();
    private final EventConsumers consumers = new EventConsumers(
            new DefaultKafkaConsumerFactory<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1"),
                    new StringDeserializer(), new StringDeserializer()),
            parkedEvents,
            new EventConsumerProperties(Duration.ofMillis(200), Duration.ofSeconds(30), 3, Duration.ofSeconds(5), STUCK_AFTER,
                    Duration.ofHours(1)),
            meters, clock);
    private final EventConsumer consumer = consumers.create(EventConsumer.Definition.of("test-consumer", "test-group",
                    List.of("paystream.payments.v1"), events -> failure.get() == null ? Mono.just(List.of()) : Mono.error(failure.get()))
            .withOnRetry(failed -> retriesSeen.incrementAndGet()));
    private final EventConsumersHealthIndicator health = new EventConsumersHealthIndicator(consumers);

    @AfterEach
    void stopRefreshing() {
        consumers.destroy();
    }

    @Test
    void aConsumerThatKeepsFailingWithoutProgressIsDownUntilItAppliesAPollAgain() {
        failure.set(new CannotCreateTransactionException("no connection"));
        List<ConsumerRecord<String, String>> poll = List.of(event(0));

        assertThatThrownBy(() -> consumer.onPoll(poll)).isInstanceOf(BatchApplier.RetryBatch.class);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        clock.advance(STUCK_AFTER.plusSeconds(1));
        assertThatThrownBy(() -> consumer.onPoll(poll)).isInstanceOf(BatchApplier.RetryBatch.class);

        Health stuck = health.health();
        assertThat(stuck.getStatus()).isEqualTo(Status.DOWN);
        assertThat(detail(stuck)).containsEntry("state", "stuck").containsEntry("failures", 2)
                .containsEntry("failing_since", "2026-11-30T12:00:00Z");
        assertThat((String) detail(stuck).get("last_failure")).startsWith("TRANSIENT unavailable");
        assertThat(meters.get("paystream.consumer.failing").tag("consumer", "test-consumer").gauge().value()).isEqualTo(61.0);
        assertThat(meters.get("paystream.consumer.retries").tags("consumer", "test-consumer", "failure", "transient").counter().count())
                .isEqualTo(2);
        assertThat(retriesSeen).hasValue(2);
        assertThat(parkedEvents.parked).as("nothing is parked while the database is away").isEmpty();

        failure.set(null);
        consumer.onPoll(poll);

        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(detail(health.health())).containsEntry("state", "applying");
        assertThat(meters.get("paystream.consumer.failing").gauge().value()).isZero();
    }

    @Test
    void aPollThatFailsForAnUnknownReasonIsDeliveredAgainABoundedNumberOfTimesThenItsRecordIsParked() {
        failure.set(new R2dbcBadGrammarException("simulated outage", "P0001"));
        List<ConsumerRecord<String, String>> poll = List.of(event(0));

        assertThatThrownBy(() -> consumer.onPoll(poll)).isInstanceOf(BatchApplier.RetryBatch.class);
        assertThatThrownBy(() -> consumer.onPoll(poll)).isInstanceOf(BatchApplier.RetryBatch.class);
        consumer.onPoll(poll);

        assertThat(parkedEvents.parked).singleElement().satisfies(parked -> assertThat(parked.failure().code()).isEqualTo(Failure.REPEATED_FAILURE));
        assertThat(meters.get("paystream.consumer.parked").tags("consumer", "test-consumer", "failure_code", "repeated_failure").counter().count())
                .isEqualTo(1);
        assertThat(meters.get("paystream.consumer.records").tags("consumer", "test-consumer", "outcome", "parked").counter().count())
                .isEqualTo(1);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void aDifferentPollStartsItsOwnCountOfUnknownFailures() {
        failure.set(new R2dbcBadGrammarException("simulated outage", "P0001"));

        assertThatThrownBy(() -> consumer.onPoll(List.of(event(0)))).isInstanceOf(BatchApplier.RetryBatch.class);
        assertThatThrownBy(() -> consumer.onPoll(List.of(event(0)))).isInstanceOf(BatchApplier.RetryBatch.class);
        assertThatThrownBy(() -> consumer.onPoll(List.of(event(0), event(1)))).isInstanceOf(BatchApplier.RetryBatch.class);

        assertThat(parkedEvents.parked).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detail(Health health) {
        return (Map<String, Object>) health.getDetails().get("test-consumer");
    }

    private static ConsumerRecord<String, String> event(long offset) {
        return new ConsumerRecord<>("paystream.payments.v1", 0, offset, "pay_1",
                "{\"id\":\"evt_" + offset + "\",\"type\":\"payment.captured\",\"version\":1}");
    }

    private static final class MutableClock extends Clock {

        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
