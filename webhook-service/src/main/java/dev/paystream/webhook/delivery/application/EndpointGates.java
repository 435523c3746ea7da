package dev.paystream.webhook.delivery.application;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Per endpoint, on this instance: at most {@code concurrencyPerEndpoint} attempts at once (a bulkhead)
 * and a circuit breaker that stops sending to a receiver that keeps failing, so that one slow or dead
 * receiver holds a few of the worker's slots and never all of them. An attempt that finds its
 * endpoint's gate closed is not made and not counted: its delivery waits and comes back later.
 */
public final class EndpointGates {

    /** Limits of the gates. */
    public record Settings(int concurrencyPerEndpoint, float failureRateThreshold, int slidingWindowSize, int minimumCalls,
                           Duration openWait) {
    }

    /** The answer of {@link #enter}: a pass to give back, or why there is none. */
    public sealed interface Entry {
    }

    public record Pass(String endpointId, Bulkhead bulkhead, CircuitBreaker breaker, long startedNanos) implements Entry {
    }

    public record Closed(String reason) implements Entry {
    }

    private final Settings settings;
    private final Map<String, Bulkhead> bulkheads = new ConcurrentHashMap<>();
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    /** Endpoints that have all the attempts they may have, or whose circuit is open: no attempt could start now. */
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final Set<String> open = ConcurrentHashMap.newKeySet();
    private final BulkheadConfig bulkheadConfig;
    private final CircuitBreakerConfig breakerConfig;

    public EndpointGates(Settings settings) {
        this.settings = settings;
        this.bulkheadConfig = BulkheadConfig.custom().maxConcurrentCalls(settings.concurrencyPerEndpoint()).maxWaitDuration(Duration.ZERO).build();
        this.breakerConfig = CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRateThreshold())
                .slidingWindowSize(settings.slidingWindowSize())
                .minimumNumberOfCalls(settings.minimumCalls())
                .waitDurationInOpenState(settings.openWait())
                .permittedNumberOfCallsInHalfOpenState(1)
                // The worker leaves the items of an open circuit alone, so nothing would ask it to move on.
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build();
    }

    /** A pass for one attempt at {@code endpointId}, or why not now: {@code endpoint_busy} or {@code circuit_open}. */
    public Entry enter(String endpointId) {
        CircuitBreaker breaker = breakers.computeIfAbsent(endpointId, this::newBreaker);
        Bulkhead bulkhead = bulkheads.computeIfAbsent(endpointId, id -> Bulkhead.of("webhook-endpoint-" + id, bulkheadConfig));
        if (!bulkhead.tryAcquirePermission()) {
            busy.add(endpointId);
            return new Closed("endpoint_busy");
        }
        if (!breaker.tryAcquirePermission()) {
            release(endpointId, bulkhead);
            return new Closed("circuit_open");
        }
        if (bulkhead.getMetrics().getAvailableConcurrentCalls() == 0) {
            busy.add(endpointId);
        }
        return new Pass(endpointId, bulkhead, breaker, System.nanoTime());
    }

    /**
     * The endpoints no attempt could start for now — all their attempts running, or their circuit open
     * — so that the worker leaves their items where they are instead of taking and putting them back.
     */
    public Set<String> closed() {
        if (open.isEmpty()) {
            return Set.copyOf(busy);
        }
        Set<String> closed = new HashSet<>(busy);
        closed.addAll(open);
        return closed;
    }

    private CircuitBreaker newBreaker(String endpointId) {
        CircuitBreaker breaker = CircuitBreaker.of("webhook-endpoint-" + endpointId, breakerConfig);
        breaker.getEventPublisher().onStateTransition(transition -> {
            if (transition.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                open.add(endpointId);
            } else {
                open.remove(endpointId);
            }
        });
        return breaker;
    }

    private void release(String endpointId, Bulkhead bulkhead) {
        bulkhead.onComplete();
        busy.remove(endpointId);
    }

    /** Gives {@code pass} back, telling the breaker whether the receiver looked unwell. */
    public void leave(Pass pass, boolean receiverUnwell) {
        long elapsed = System.nanoTime() - pass.startedNanos();
        if (receiverUnwell) {
            pass.breaker().onError(elapsed, TimeUnit.NANOSECONDS, new ReceiverUnwell());
        } else {
            pass.breaker().onSuccess(elapsed, TimeUnit.NANOSECONDS);
        }
        release(pass.endpointId(), pass.bulkhead());
    }

    /** Gives {@code pass} back without a result (the attempt was cancelled). */
    public void abandon(Pass pass) {
        pass.breaker().releasePermission();
        release(pass.endpointId(), pass.bulkhead());
    }

    /** How long an attempt that found the gate closed for {@code reason} waits before it comes back. */
    public Duration waitAfter(String reason, Duration busyWait) {
        return reason.equals("circuit_open") ? settings.openWait() : busyWait;
    }

    /** What a breaker counts as a failure: no answer, a 5xx or a 429. */
    private static final class ReceiverUnwell extends RuntimeException {

        ReceiverUnwell() {
            super("the receiver did not answer, or answered 5xx or 429", null, false, false);
        }
    }
}
