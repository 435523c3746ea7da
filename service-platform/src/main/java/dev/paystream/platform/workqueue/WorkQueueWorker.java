package dev.paystream.platform.workqueue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs the due items of one {@link WorkQueue}: it takes a batch every poll interval, runs each item's
 * work, and then removes it; work that fails is put back with exponential backoff and given up after
 * {@code attemptsMax} attempts (kept, with its error, never due again). Every feature's delayed work
 * runs on one of these rather than on a poller of its own.
 *
 * <p>Work must be safe to run again: a worker that dies after the effect committed but before the
 * item was removed leaves it to be taken again once its lease ends. The safest work removes its item
 * in the same statement as its effect ({@link WorkQueue#finish}).
 */
public final class WorkQueueWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WorkQueueWorker.class);

    /** Limits of a worker; {@code lease} must outlast the longest work of a batch. */
    public record Settings(int batchSize, Duration pollInterval, Duration lease, Duration backoffMin, Duration backoffMax,
                           int attemptsMax) {
    }

    private final WorkQueue queue;
    private final Function<WorkItem, Mono<Void>> work;
    private final Settings settings;
    private final Counter succeeded;
    private final Counter retried;
    private final Counter failed;
    private final AtomicLong pending = new AtomicLong();
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

    /** Runs every item due now, once; used by the schedule and handy in tests. Emits how many ran. */
    public Mono<Long> runDueItems() {
        return queue.take(settings.batchSize(), settings.lease())
                .concatMap(item -> work.apply(item)
                        .then(Mono.defer(() -> queue.done(item)))
                        .doOnSuccess(done -> succeeded.increment())
                        .onErrorResume(failure -> giveBack(item, failure))
                        .thenReturn(item))
                .count();
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
        schedule = Flux.interval(settings.pollInterval())
                .onBackpressureDrop()
                .concatMap(tick -> runDueItems()
                        .then(queue.pendingCount().doOnNext(pending::set))
                        .onErrorResume(failure -> {
                            log.warn("Taking work from queue {} failed, retrying in {}: {}", queue.name(), settings.pollInterval(),
                                    failure.toString());
                            return Mono.empty();
                        }))
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
