package dev.paystream.platform.workqueue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Runs the due items of one {@link WorkQueue}: it takes a batch every poll interval, runs each item's
 * work, and then removes it. By default the items of a batch run one after the other and the next
 * batch is taken once they all ran; with {@link Settings#concurrency} above 1 the worker keeps up to
 * that many items running at once, takes more as soon as slots are free, and a slow item holds only
 * its own slot, never the items behind it. work that fails is put back with exponential backoff and given up after
 * {@code attemptsMax} attempts (kept, with its error, never due again). Every feature's delayed work
 * runs on one of these rather than on a poller of its own.
 *
 * <p>Work must be safe to run again: a worker that dies after the effect committed but before the
 * item was removed leaves it to be taken again once its lease ends. The safest work removes its item
 * in the same statement as its effect ({@link WorkQueue#finish}).
 */
public final class WorkQueueWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WorkQueueWorker.class);

    /**
     * Limits of a worker; {@code lease} must outlast the longest work of a batch (of one item, when
     * {@code concurrency} is above 1).
     *
     * @param concurrency items running at once; 1 runs a batch's items one after the other
     */
    public record Settings(int batchSize, Duration pollInterval, Duration lease, Duration backoffMin, Duration backoffMax,
                           int attemptsMax, int concurrency) {

        public Settings {
            if (batchSize < 1 || concurrency < 1 || attemptsMax < 1) {
                throw new IllegalArgumentException("batchSize, concurrency and attemptsMax must be at least 1");
            }
        }

        /** Items of a batch one after the other. */
        public Settings(int batchSize, Duration pollInterval, Duration lease, Duration backoffMin, Duration backoffMax, int attemptsMax) {
            this(batchSize, pollInterval, lease, backoffMin, backoffMax, attemptsMax, 1);
        }

        public Settings withConcurrency(int concurrency) {
            return new Settings(batchSize, pollInterval, lease, backoffMin, backoffMax, attemptsMax, concurrency);
        }
    }

    private final WorkQueue queue;
    private final Function<WorkItem, Mono<Void>> work;
    private final Settings settings;
    private final Counter succeeded;
    private final Counter retried;
    private final Counter failed;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicInteger running = new AtomicInteger();
    /** Whether the last take found as many due items as it asked for: there may be more waiting. */
    private final AtomicBoolean backlog = new AtomicBoolean();
    private final Sinks.Many<Boolean> wakeUps = Sinks.many().multicast().directBestEffort();
    private volatile Supplier<Collection<String>> skipPayloads = List::of;
    private volatile boolean wakeOnEveryEnd;
    private volatile boolean finishedByWork;
    private volatile int perPayloadMax = Integer.MAX_VALUE;
    private Disposable schedule;

    public WorkQueueWorker(WorkQueue queue, Function<WorkItem, Mono<Void>> work, Settings settings, MeterRegistry meters) {
        this.queue = queue;
        this.work = work;
        this.settings = settings;
        this.succeeded = attempts(meters, "succeeded");
        this.retried = attempts(meters, "retried");
        this.failed = attempts(meters, "failed");
        Gauge.builder("paystream.work.pending", pending, AtomicLong::get).tag("queue", queue.name())
                .description("Work items waiting in the queue (last seen by its worker)").register(meters);
    }

    private Counter attempts(MeterRegistry meters, String outcome) {
        return Counter.builder("paystream.work.attempts").tag("queue", queue.name()).tag("outcome", outcome)
                .description("Attempts at work items, by outcome").register(meters);
    }

    /**
     * Makes the worker leave, when it takes items, those whose payload is in what {@code payloads} gives
     * at that moment (work it cannot start now); it then also looks for due items each time an item
     * ends, since that may be what allows the skipped ones to start. Call it before {@link #start()}.
     */
    public WorkQueueWorker skipping(Supplier<Collection<String>> payloads) {
        return skipping(payloads, true);
    }

    /**
     * {@link #skipping(Supplier)}, where {@code wakeOnEveryEnd} false leaves the waking to whoever knows
     * when a skipped payload can start again (it calls {@link #wakeUp()} then): a take per item that ends
     * would be a statement per item, mostly finding nothing new.
     */
    public WorkQueueWorker skipping(Supplier<Collection<String>> payloads, boolean wakeOnEveryEnd) {
        this.skipPayloads = payloads;
        this.wakeOnEveryEnd = wakeOnEveryEnd;
        return this;
    }

    /**
     * Tells the worker that its work always finishes its item itself — removes it or makes it due again in
     * the statement that records its effect ({@link WorkQueue#removeHeld}, {@link WorkQueue#dueAgain}, or
     * their {@code All} forms) — so that the worker does not remove it again after the work succeeded: a
     * statement (and a commit) less per item. Work that fails is still put back by the worker. Call it
     * before {@link #start()}.
     */
    public WorkQueueWorker finishedByWork() {
        this.finishedByWork = true;
        return this;
    }

    /**
     * Makes each take hand out at most {@code max} items of one payload: for work of which only so many of
     * one payload can start at once (a receiver's free places), so that the rest stays on the queue rather
     * than being taken and put back. A take that reached the cap for a payload may have left more behind:
     * the worker then looks again as items end. Call it before {@link #start()}.
     */
    public WorkQueueWorker takingAtMostPerPayload(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1");
        }
        this.perPayloadMax = max;
        return this;
    }

    /** Runs a batch of the items due now, each once, one after the other; handy in tests. Emits how many ran. */
    public Mono<Long> runDueItems() {
        return queue.take(settings.batchSize(), settings.lease())
                .concatMap(item -> run(item).thenReturn(item))
                .count();
    }

    /** Items running now (only counted when {@link Settings#concurrency} is above 1). */
    public int running() {
        return running.get();
    }

    /**
     * Asks the worker to look for due items now rather than at its next poll, e.g. right after work
     * was added on this instance. Wake-ups that come while it is taking items are folded into that take.
     */
    public void wakeUp() {
        wakeUps.tryEmitNext(Boolean.TRUE);
    }

    private Mono<Void> run(WorkItem item) {
        return Mono.defer(() -> work.apply(item))
                .then(Mono.defer(() -> finishedByWork ? Mono.<Void>empty() : queue.done(item)))
                .doOnSuccess(done -> succeeded.increment())
                .onErrorResume(failure -> giveBack(item, failure));
    }

    /**
     * Fills the free slots with due items, started at once and not awaited: each frees its slot when
     * it ends, and wakes the worker once half the slots are free while items are waiting. Takes again
     * at once while takes come back full.
     */
    private Mono<Void> fillFreeSlots() {
        return fillFreeSlots(Set.of(), false);
    }

    /**
     * One take; {@code capped} are payloads an earlier take of this round brought as many items of as the cap
     * allows, left out of this one so that it reaches the items of other payloads behind them (a backlog of one
     * payload at the head of the queue would otherwise hide the others' items and leave slots empty).
     */
    private Mono<Void> fillFreeSlots(Set<String> capped, boolean cappedBefore) {
        return Mono.defer(() -> {
            int free = settings.concurrency() - running.get();
            if (free <= 0) {
                return Mono.empty();
            }
            int wanted = Math.min(settings.batchSize(), free);
            int perPayload = Math.min(perPayloadMax, wanted);
            boolean capping = perPayload < wanted;
            Collection<String> skip = skipPayloads.get();
            if (!capped.isEmpty()) {
                Set<String> both = new HashSet<>(skip);
                both.addAll(capped);
                skip = both;
            }
            Map<String, Integer> takenPerPayload = new HashMap<>();
            return queue.take(wanted, settings.lease(), skip, perPayload)
                    .doOnNext(item -> {
                        if (capping) {
                            takenPerPayload.merge(item.payload(), 1, Integer::sum);
                        }
                        running.incrementAndGet();
                        run(item).doFinally(signal -> {
                            if (running.decrementAndGet() <= settings.concurrency() / 2 && backlog.get() || wakeOnEveryEnd) {
                                wakeUp();
                            }
                        }).subscribe();
                    })
                    .count()
                    .flatMap(taken -> {
                        if (taken == wanted) {
                            backlog.set(true);
                            return fillFreeSlots();
                        }
                        Set<String> reachedCap = new HashSet<>();
                        takenPerPayload.forEach((payload, count) -> {
                            if (count >= perPayload) {
                                reachedCap.add(payload);
                            }
                        });
                        // Items of a payload that reached the cap may wait behind it: taken as items end, not at once (the ones
                        // just taken have not yet shown whether more of that payload can start).
                        backlog.set(cappedBefore || !reachedCap.isEmpty());
                        if (reachedCap.isEmpty()) {
                            return Mono.<Void>empty();
                        }
                        Set<String> allCapped = new HashSet<>(capped);
                        allCapped.addAll(reachedCap);
                        return fillFreeSlots(allCapped, true);
                    });
        });
    }

    private Mono<Void> giveBack(WorkItem item, Throwable failure) {
        String error = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        if (item.attempts() >= settings.attemptsMax()) {
            log.warn("Giving up work item {}/{} after {} attempts: {}", queue.name(), item.key(), item.attempts(), error);
            failed.increment();
            return queue.fail(item, error).onErrorResume(ignored -> Mono.empty());
        }
        log.info("Work item {}/{} failed (attempt {}), retrying later: {}", queue.name(), item.key(), item.attempts(), error);
        retried.increment();
        return queue.retryLater(item, backoff(item.attempts()), error).onErrorResume(ignored -> Mono.empty());
    }

    Duration backoff(int attempts) {
        long millis = settings.backoffMin().toMillis() << Math.min(attempts - 1, 20);
        return Duration.ofMillis(Math.min(millis, settings.backoffMax().toMillis()));
    }

    @Override
    public void start() {
        // The pending gauge is read on polls only, at most once a second: wake-ups may come hundreds of times a second.
        long pollsPerCount = Math.max(1, 1000 / Math.max(1, settings.pollInterval().toMillis()));
        Flux<Long> polls = Flux.interval(settings.pollInterval());
        Flux<Long> rounds = settings.concurrency() == 1
                ? polls
                : Flux.merge(polls, wakeUps.asFlux().map(wakeUp -> -1L));
        // Wake-ups that come while a take runs are folded into one take after it (the latest round kept, none queued):
        // items ending by the hundred per second each ask for a take, and most would find nothing new.
        schedule = rounds
                .onBackpressureLatest()
                .concatMap(round -> (settings.concurrency() == 1 ? runDueItems().then() : fillFreeSlots())
                        .then(round >= 0 && round % pollsPerCount == 0 ? queue.pendingCount().doOnNext(pending::set).then() : Mono.<Void>empty())
                        .onErrorResume(failure -> {
                            log.warn("Taking work from queue {} failed, retrying in {}: {}", queue.name(), settings.pollInterval(),
                                    failure.toString());
                            return Mono.empty();
                        }), 0)
                .subscribe();
    }

    @Override
    public void stop() {
        if (schedule != null) {
            schedule.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return schedule != null && !schedule.isDisposed();
    }
}
