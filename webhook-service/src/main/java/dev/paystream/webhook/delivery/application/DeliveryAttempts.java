package dev.paystream.webhook.delivery.application;

import dev.paystream.platform.workqueue.WorkItem;
import dev.paystream.webhook.delivery.domain.AttemptResult;
import dev.paystream.webhook.delivery.domain.NextStep;
import dev.paystream.webhook.delivery.domain.RetrySchedule;
import dev.paystream.webhook.delivery.domain.Signatures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * One attempt at a delivery, as the work of its item on the work queue (the queue's lease and
 * {@code SKIP LOCKED} make sure one instance at a time holds it): signs the body now, sends it through
 * the endpoint's gate, and records the attempt with the delivery's next step in one statement fenced
 * by the lease, which also moves or removes its item (the worker runs with
 * {@link dev.paystream.platform.workqueue.WorkQueueWorker#finishedByWork()}: every way out of here
 * finishes the item). A delivery whose endpoint was disabled or deleted fails without an attempt; one
 * whose endpoint is busy waits in the endpoint's line, and goes back on the queue, without an attempt
 * being counted, when the line is full, the wait too long or the circuit open.
 */
public final class DeliveryAttempts {

    private static final Logger log = LoggerFactory.getLogger(DeliveryAttempts.class);
    public static final String USER_AGENT = "Paystream-Webhooks/1";

    private final Deliveries deliveries;
    private final Sender sender;
    private final EndpointGates gates;
    private final RetrySchedule schedule;
    private final Duration busyWait;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, Counter> attemptsByOutcome = new ConcurrentHashMap<>();
    private final Map<String, Timer> latencyByOutcome = new ConcurrentHashMap<>();

    public DeliveryAttempts(Deliveries deliveries, Sender sender, EndpointGates gates, RetrySchedule schedule, Duration busyWait, Clock clock,
                            MeterRegistry meters) {
        this.deliveries = deliveries;
        this.sender = sender;
        this.gates = gates;
        this.schedule = schedule;
        this.busyWait = busyWait;
        this.clock = clock;
        this.meters = meters;
    }

    /** The work of an item of the webhook attempts queue, whose key is the delivery's id. */
    public Mono<Void> attempt(WorkItem item) {
        // Dropped only when the delivery is not there: not after every attempt, whose own statement finished the item
        // (a Mono<Void> is empty on success too, so a switchIfEmpty here ran a DELETE after every attempt).
        return deliveries.attemptContext(item.key())
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(found -> found.isPresent() ? attempt(item, found.get()) : deliveries.drop(item));
    }

    private Mono<Void> attempt(WorkItem item, AttemptContext delivery) {
        if (!delivery.pending()) {
            return deliveries.drop(item);
        }
        if (!delivery.endpointLive()) {
            meters.counter("paystream.webhook.deliveries.ended", "outcome", "endpoint_disabled").increment();
            return deliveries.failWithoutAttempt(item, delivery.deliveryId());
        }
        if (delivery.secrets().isEmpty()) {
            // Never sent unsigned: the item is retried later by the worker (after the secret is rotated, it signs again).
            return Mono.error(new IllegalStateException("The signing secret of endpoint " + delivery.endpointId()
                    + " does not open (sealed for another endpoint, by another key, or altered); rotate it"));
        }
        // A busy endpoint's attempt waits in memory for its turn (bounded), rather than going back on the queue.
        return gates.enterOrWait(delivery.endpointId())
                // Nothing to go on without an answer: the worker puts the item back (a later attempt), it is never left as it is.
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("The gate of endpoint " + delivery.endpointId() + " gave no answer")))
                .flatMap(entry -> {
                    if (entry instanceof EndpointGates.Closed closed) {
                        meters.counter("paystream.webhook.attempts.deferred", "reason", closed.reason()).increment();
                        return deliveries.defer(item, clock.instant().plus(gates.waitAfter(closed.reason(), busyWait)));
                    }
                    return send(item, delivery, (EndpointGates.Pass) entry);
                });
    }

    private Mono<Void> send(WorkItem item, AttemptContext delivery, EndpointGates.Pass pass) {
        Instant attemptedAt = clock.instant();
        long timestamp = attemptedAt.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("user-agent", USER_AGENT);
        headers.put("webhook-id", delivery.eventId());
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", Signatures.header(delivery.secrets(), delivery.eventId(), timestamp, delivery.body()));
        AtomicBoolean left = new AtomicBoolean();
        return sender.send(delivery.url(), headers, delivery.body())
                .doOnNext(result -> {
                    left.set(true);
                    gates.leave(pass, result.receiverUnwell());
                })
                // A sender that completes without a result has made no attempt that could be recorded: the worker puts
                // the item back, with its backoff (left alone, the item would wait for its lease to run out).
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("The sender gave no result for delivery " + delivery.deliveryId())))
                // Cancelled or failed without a result: the pass is given back all the same.
                .doFinally(signal -> {
                    if (left.compareAndSet(false, true)) {
                        gates.abandon(pass);
                    }
                })
                .flatMap(result -> {
                    NextStep next = NextStep.after(result, delivery.roundAttempts() + 1, schedule, clock.instant());
                    return deliveries.record(item, delivery, attemptedAt, result, next)
                            .doOnNext(recorded -> report(delivery, result, next, recorded));
                })
                .then();
    }

    private void report(AttemptContext delivery, AttemptResult result, NextStep next, boolean recorded) {
        String outcome = result.outcome();
        // Looked up once per outcome, not built and registered again for every attempt.
        attemptsByOutcome.computeIfAbsent(outcome, tag -> Counter.builder("paystream.webhook.attempts").tag("outcome", tag)
                .description("Attempts at webhook deliveries, by outcome").register(meters)).increment();
        latencyByOutcome.computeIfAbsent(outcome, tag -> Timer.builder("paystream.webhook.attempt.latency").tag("outcome", tag)
                        .publishPercentileHistogram().description("How long a receiver took to answer an attempt (or until it failed)").register(meters))
                .record(result.latencyMs(), TimeUnit.MILLISECONDS);
        if (!recorded) {
            log.warn("Attempt {} at delivery {} ended after its lease ran out; another worker holds it now: not recorded",
                    delivery.attemptsTotal() + 1, delivery.deliveryId());
            return;
        }
        if (!(next instanceof NextStep.RetryAt)) {
            String ended = next instanceof NextStep.Delivered ? "delivered" : next instanceof NextStep.EndpointGone ? "endpoint_gone" : "exhausted";
            meters.counter("paystream.webhook.deliveries.ended", "outcome", ended).increment();
        }
        if (next instanceof NextStep.EndpointGone) {
            log.info("Endpoint {} answered 410 Gone to delivery {}: it is disabled", delivery.endpointId(), delivery.deliveryId());
        } else if (next instanceof NextStep.Exhausted) {
            log.info("Delivery {} to endpoint {} failed after {} attempts", delivery.deliveryId(), delivery.endpointId(), delivery.roundAttempts() + 1);
        }
    }
}
