package dev.paystream.webhook.delivery.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paystream.platform.workqueue.WorkItem;
import dev.paystream.webhook.delivery.domain.AttemptResult;
import dev.paystream.webhook.delivery.domain.NextStep;
import dev.paystream.webhook.delivery.domain.RetrySchedule;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Every way out of an attempt finishes its item, and only one statement does: the outcome's, the drop of an
 * item whose delivery is gone or over, the deferral of a busy endpoint's. An attempt that cannot go on (no
 * result from the sender) fails, so that the worker puts its item back; none ends leaving the item to wait
 * for its lease, nor removes it while its delivery is pending.
 */
class DeliveryAttemptsTest {

    private static final WorkItem ITEM = new WorkItem("webhook-attempts", "wd_1", "we_1", 1, "token-1");
    private static final AttemptContext PENDING = new AttemptContext("wd_1", "evt_1", "we_1", "pending", 0, 0, "http://127.0.0.1:1/hooks",
            List.of("whsec_d+xwBfVGJGIUXhNrBzRJfFz34VrmAb1v"), true, "{\"id\":\"evt_1\"}");

    private final RecordingDeliveries deliveries = new RecordingDeliveries();
    private final EndpointGates gates = new EndpointGates(new EndpointGates.Settings(1, 50, 1000, 1000, Duration.ofSeconds(30)));

    private DeliveryAttempts attempts(Sender sender) {
        return new DeliveryAttempts(deliveries, sender, gates, new RetrySchedule(List.of(Duration.ofSeconds(5))), Duration.ofMillis(250),
                Clock.systemUTC(), new SimpleMeterRegistry());
    }

    @Test
    void aRecordedAttemptIsItsOnlyStatementAndNoDeleteFollowsIt() {
        deliveries.context = PENDING;

        attempts((url, headers, body) -> Mono.just(AttemptResult.answered(200, 3, "ok"))).attempt(ITEM).block();

        assertThat(deliveries.calls).containsExactly("context wd_1", "record wd_1 delivered");
    }

    @Test
    void anAttemptWhoseOutcomeWasNotRecordedLeavesTheItemToWhoeverHoldsItNow() {
        deliveries.context = PENDING;
        deliveries.recorded = false;

        attempts((url, headers, body) -> Mono.just(AttemptResult.answered(200, 3, "ok"))).attempt(ITEM).block();

        assertThat(deliveries.calls).containsExactly("context wd_1", "record wd_1 delivered");
    }

    @Test
    void aSenderThatGivesNoResultFailsTheAttemptSoThatTheWorkerPutsTheItemBackAndTheEndpointsSlotIsFree() {
        deliveries.context = PENDING;
        DeliveryAttempts attempts = attempts((url, headers, body) -> Mono.empty());

        assertThatThrownBy(() -> attempts.attempt(ITEM).block()).hasMessageContaining("gave no result");

        assertThat(deliveries.calls).containsExactly("context wd_1");
        assertThat(gates.enter("we_1")).as("the pass was given back").isInstanceOf(EndpointGates.Pass.class);
    }

    @Test
    void anItemWhoseDeliveryIsNotThereIsDroppedAndOneWhoseDeliveryIsOverToo() {
        attempts((url, headers, body) -> Mono.error(new AssertionError("not sent"))).attempt(ITEM).block();
        deliveries.context = new AttemptContext("wd_1", "evt_1", "we_1", "delivered", 1, 1, PENDING.url(), PENDING.secrets(), true, PENDING.body());
        attempts((url, headers, body) -> Mono.error(new AssertionError("not sent"))).attempt(ITEM).block();

        assertThat(deliveries.calls).containsExactly("context wd_1", "drop wd_1", "context wd_1", "drop wd_1");
    }

    @Test
    void aBusyEndpointsAttemptIsDeferredAndNotDroppedAfterwards() {
        deliveries.context = PENDING;
        EndpointGates.Entry held = gates.enter("we_1");
        assertThat(held).isInstanceOf(EndpointGates.Pass.class);

        attempts((url, headers, body) -> Mono.error(new AssertionError("not sent"))).attempt(ITEM).block();

        assertThat(deliveries.calls).containsExactly("context wd_1", "defer wd_1");
    }

    /** The statements an attempt makes, in order. */
    private static final class RecordingDeliveries implements Deliveries {

        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile AttemptContext context;
        volatile boolean recorded = true;

        @Override
        public Mono<Long> fanOut(String consumer, List<OutgoingEvent> outgoing) {
            return Mono.error(new UnsupportedOperationException());
        }

        @Override
        public Mono<AttemptContext> attemptContext(String deliveryId) {
            return Mono.fromRunnable(() -> calls.add("context " + deliveryId)).then(Mono.justOrEmpty(context));
        }

        @Override
        public Mono<Boolean> record(WorkItem item, AttemptContext delivery, Instant attemptedAt, AttemptResult result, NextStep next) {
            return Mono.fromCallable(() -> {
                calls.add("record " + item.key() + " " + next.status());
                return recorded;
            });
        }

        @Override
        public Mono<Void> failWithoutAttempt(WorkItem item, String deliveryId) {
            return Mono.fromRunnable(() -> calls.add("fail " + item.key()));
        }

        @Override
        public Mono<Void> defer(WorkItem item, Instant until) {
            return Mono.fromRunnable(() -> calls.add("defer " + item.key()));
        }

        @Override
        public Mono<Void> drop(WorkItem item) {
            return Mono.fromRunnable(() -> calls.add("drop " + item.key()));
        }

        @Override
        public Mono<PendingDeliveries> pending() {
            return Mono.error(new UnsupportedOperationException());
        }
    }
}
