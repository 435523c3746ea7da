package dev.paystream.webhook.delivery.application;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Per endpoint, on this instance: at most {@code concurrencyPerEndpoint} attempts at once and a circuit
 * breaker that stops sending to a receiver that keeps failing, so that one slow or dead receiver holds a
 * few of the worker's slots and never all of them. An attempt that finds its endpoint with all the
 * attempts it may have can wait, in memory, in the endpoint's line ({@link #enterOrWait}): up to
 * {@code waitingPerEndpoint} attempts wait, each at most {@code maxWait}, and each attempt that ends hands
 * its place to the first of them at once. That keeps a busy endpoint's attempts flowing without taking
 * them off the queue and putting them back (two statements each, and a pause). An attempt that finds the
 * line full, waits too long or finds the circuit open is not made and not counted: its delivery goes back
 * on the queue and comes back later.
 */
public final class EndpointGates {

    /**
     * Limits of the gates.
     *
     * @param waitingPerEndpoint attempts that may wait in an endpoint's line; 0: none waits
     * @param maxWait            how long an attempt waits in the line at most
     */
    public record Settings(int concurrencyPerEndpoint, float failureRateThreshold, int slidingWindowSize, int minimumCalls,
                           Duration openWait, int waitingPerEndpoint, Duration maxWait) {

        /** No attempt waits: a busy endpoint's attempts are closed out at once. */
        public Settings(int concurrencyPerEndpoint, float failureRateThreshold, int slidingWindowSize, int minimumCalls, Duration openWait) {
            this(concurrencyPerEndpoint, failureRateThreshold, slidingWindowSize, minimumCalls, openWait, 0, Duration.ZERO);
        }
    }

    /** The answer of {@link #enter}: a pass to give back, or why there is none. */
    public sealed interface Entry {
    }

    public record Pass(String endpointId, Line line, CircuitBreaker breaker, long startedNanos) implements Entry {
    }

    public record Closed(String reason) implements Entry {
    }

    private static final Closed BUSY = new Closed("endpoint_busy");
    private static final Closed OPEN = new Closed("circuit_open");

    private final Settings settings;
    private final Map<String, Line> lines = new ConcurrentHashMap<>();
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    /** Endpoints whose attempts all run and whose line is full, or whose circuit is open: no attempt could start or wait now. */
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final Set<String> open = ConcurrentHashMap.newKeySet();
    private final CircuitBreakerConfig breakerConfig;
    private volatile Runnable roomAgain = () -> {
    };

    public EndpointGates(Settings settings) {
        this.settings = settings;
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

    /**
     * Calls {@code listener} each time an endpoint that was closed (its line full, or its circuit open)
     * has room again: the moment for the worker to take that endpoint's items, rather than after every
     * attempt.
     */
    public EndpointGates onRoomAgain(Runnable listener) {
        this.roomAgain = listener;
        return this;
    }

    /** A pass for one attempt at {@code endpointId} now, or why not: {@code endpoint_busy} or {@code circuit_open}. */
    public Entry enter(String endpointId) {
        Line line = line(endpointId);
        return line.tryTake() ? admit(endpointId, line) : BUSY;
    }

    /**
     * A pass for one attempt at {@code endpointId}: at once when the endpoint has room, else once an attempt
     * ahead of it ends, if there is room in its line and that comes within {@code maxWait}; otherwise (or
     * with the circuit open) why not. Cancelling the wait gives up the place in the line.
     */
    public Mono<Entry> enterOrWait(String endpointId) {
        Line line = line(endpointId);
        if (line.tryTake()) {
            return Mono.just(admit(endpointId, line));
        }
        Sinks.One<Boolean> place = line.queue();
        if (place == null) {
            return Mono.just(BUSY);
        }
        return place.asMono()
                .timeout(settings.maxWait(), Mono.fromSupplier(() -> line.leaveQueue(place) ? Boolean.FALSE : Boolean.TRUE))
                .doOnCancel(() -> {
                    // A place handed over just as the wait was cancelled is passed on, not lost.
                    if (!line.leaveQueue(place)) {
                        line.release();
                    }
                })
                .map(admitted -> admitted ? admit(endpointId, line) : BUSY);
    }

    /** With a slot of the endpoint taken: the breaker's permission too, or the slot back. */
    private Entry admit(String endpointId, Line line) {
        CircuitBreaker breaker = breakers.computeIfAbsent(endpointId, this::newBreaker);
        if (!breaker.tryAcquirePermission()) {
            line.release();
            return OPEN;
        }
        return new Pass(endpointId, line, breaker, System.nanoTime());
    }

    /**
     * The endpoints no attempt could start or wait for now — all their attempts running and their line
     * full, or their circuit open — so that the worker leaves their items where they are instead of
     * taking and putting them back.
     */
    public Set<String> closed() {
        if (open.isEmpty()) {
            return Set.copyOf(busy);
        }
        Set<String> closed = new HashSet<>(busy);
        closed.addAll(open);
        return closed;
    }

    private Line line(String endpointId) {
        return lines.computeIfAbsent(endpointId, Line::new);
    }

    private CircuitBreaker newBreaker(String endpointId) {
        CircuitBreaker breaker = CircuitBreaker.of("webhook-endpoint-" + endpointId, breakerConfig);
        breaker.getEventPublisher().onStateTransition(transition -> {
            if (transition.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                open.add(endpointId);
            } else if (open.remove(endpointId)) {
                roomAgain.run();
            }
        });
        return breaker;
    }

    /** Gives {@code pass} back, telling the breaker whether the receiver looked unwell. */
    public void leave(Pass pass, boolean receiverUnwell) {
        long elapsed = System.nanoTime() - pass.startedNanos();
        if (receiverUnwell) {
            pass.breaker().onError(elapsed, TimeUnit.NANOSECONDS, new ReceiverUnwell());
        } else {
            pass.breaker().onSuccess(elapsed, TimeUnit.NANOSECONDS);
        }
        pass.line().release();
    }

    /** Gives {@code pass} back without a result (the attempt was cancelled). */
    public void abandon(Pass pass) {
        pass.breaker().releasePermission();
        pass.line().release();
    }

    /**
     * How many of one endpoint's attempts a take should hand out at most: the places its line has at least
     * when it opens again after it was busy (the line down to half). Takes within this leave the rest on the
     * queue rather than taking them only to put them back. Without a line an endpoint opens again as soon as
     * one attempt ends; a quarter of its slots then, not one: a take per attempt would cost more than the few
     * taken too many, which go back on the queue.
     */
    public int placesWhenOpenAgain() {
        int waiting = settings.waitingPerEndpoint();
        return waiting > 0 ? waiting - waiting / 2 : Math.max(1, settings.concurrencyPerEndpoint() / 4);
    }

    /** How long an attempt that found the gate closed for {@code reason} waits before it comes back. */
    public Duration waitAfter(String reason, Duration busyWait) {
        return reason.equals("circuit_open") ? settings.openWait() : busyWait;
    }

    /**
     * One endpoint's attempts: how many run, and those waiting for one of them to end, first come first
     * served. A slot that is given back goes to the first waiter still waiting, else is freed.
     */
    public final class Line {

        private final String endpointId;
        private final ArrayDeque<Sinks.One<Boolean>> waiting = new ArrayDeque<>();
        private int running;

        Line(String endpointId) {
            this.endpointId = endpointId;
        }

        synchronized boolean tryTake() {
            if (running < settings.concurrencyPerEndpoint()) {
                running++;
                markBusy();
                return true;
            }
            return false;
        }

        /** A place in the line, or null when the line is full. */
        synchronized Sinks.One<Boolean> queue() {
            if (waiting.size() >= settings.waitingPerEndpoint()) {
                return null;
            }
            Sinks.One<Boolean> place = Sinks.one();
            waiting.add(place);
            markBusy();
            return place;
        }

        /** Whether the place was still waiting (and is now out of the line); false when a slot was handed to it meanwhile. */
        synchronized boolean leaveQueue(Sinks.One<Boolean> place) {
            boolean removed = waiting.remove(place);
            markBusy();
            return removed;
        }

        void release() {
            Sinks.One<Boolean> next;
            synchronized (this) {
                next = waiting.poll();
                if (next == null) {
                    running--;
                }
                markBusy();
            }
            // Emitted outside the lock: the waiter goes on with its attempt on this thread.
            if (next != null && next.tryEmitValue(Boolean.TRUE).isFailure()) {
                release();
            }
        }

        /**
         * Closed once every slot runs and the line is full; open again once a slot is free or the line is
         * down to half, so that the worker takes this endpoint's items a few at a time, not one per attempt.
         */
        private void markBusy() {
            int waiters = waiting.size();
            if (running >= settings.concurrencyPerEndpoint() && waiters >= settings.waitingPerEndpoint()) {
                busy.add(endpointId);
            } else if ((running < settings.concurrencyPerEndpoint() || waiters <= settings.waitingPerEndpoint() / 2) && busy.remove(endpointId)) {
                roomAgain.run();
            }
        }
    }

    /** What a breaker counts as a failure: no answer, a 5xx or a 429. */
    private static final class ReceiverUnwell extends RuntimeException {

        ReceiverUnwell() {
            super("the receiver did not answer, or answered 5xx or 429", null, false, false);
        }
    }
}
