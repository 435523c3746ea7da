package dev.paystream.webhook.delivery.application;

import dev.paystream.platform.workqueue.WorkItem;
import dev.paystream.webhook.delivery.domain.AttemptResult;
import dev.paystream.webhook.delivery.domain.NextStep;
import java.time.Instant;
import java.util.List;
import reactor.core.publisher.Mono;

/** Where deliveries are kept, with their attempts and their place on the work queue. */
public interface Deliveries {

    /**
     * In one statement: claims the events of {@code outgoing} for {@code consumer}, and for those claimed
     * now makes their deliveries and first attempts. Emits how many deliveries it made.
     */
    Mono<Long> fanOut(String consumer, List<OutgoingEvent> outgoing);

    /** The delivery of a work item; empty when there is none. */
    Mono<AttemptContext> attemptContext(String deliveryId);

    /**
     * Records an attempt and what follows from it (the delivery's status, its next attempt on the work
     * queue, a disabled endpoint) in one statement, only while {@code item}'s lease holds. Emits false
     * when the lease was lost and nothing was recorded.
     */
    Mono<Boolean> record(WorkItem item, AttemptContext delivery, Instant attemptedAt, AttemptResult result, NextStep next);

    /** The delivery fails without an attempt (its endpoint was disabled or deleted), and its item is removed. */
    Mono<Void> failWithoutAttempt(WorkItem item, String deliveryId);

    /** The item waits until {@code until} without an attempt (its endpoint is busy or its circuit open). */
    Mono<Void> defer(WorkItem item, Instant until);

    /** Removes an item with nothing to do (its delivery is gone or no longer pending). */
    Mono<Void> drop(WorkItem item);

    /** Pending deliveries: how many, and when the oldest was made (null when none). */
    Mono<PendingDeliveries> pending();

    record PendingDeliveries(long count, Instant oldestCreatedAt) {
    }
}
