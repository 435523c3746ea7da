package dev.paystream.payment.settlement.adapter.schedule;

import dev.paystream.platform.workqueue.WorkQueue;
import dev.paystream.platform.workqueue.WorkQueueWorker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.support.CronExpression;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Runs the settlement of every merchant on a cron schedule (CONTRACT §8: daily at 00:00 UTC by default),
 * exactly once per occurrence however many instances run it.
 *
 * <p>Each occurrence is an item of a work queue (key: the occurrence's instant), due at that instant:
 * every instance adds the next one (the same key, so one item), and the queue's lease gives it to one
 * worker, on one instance; should that instance stop before the run ends, the lease runs out and another
 * takes the occurrence up. A run that completed is recorded in {@code settlement_schedule_runs} before its
 * item is removed, so an item added again for an occurrence that ran (an instance that computed its "next"
 * just before the occurrence and added it just after) is dropped rather than run twice.
 */
public final class DailySettlementSchedule implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DailySettlementSchedule.class);

    private final DatabaseClient database;
    private final WorkQueue queue;
    private final CronExpression cron;
    private final Function<String, Mono<Void>> work;
    private final Clock clock;
    private final WorkQueueWorker worker;
    private Disposable firstOccurrence;

    /**
     * @param work  the settlement of every merchant, run once per occurrence (given as its instant, ISO-8601)
     * @param lease how long an occurrence's run may take before another instance may take it up
     */
    public DailySettlementSchedule(DatabaseClient database, WorkQueue queue, String cron, Function<String, Mono<Void>> work, Clock clock,
                                   Duration pollInterval, Duration lease, MeterRegistry meters) {
        this.database = database;
        this.queue = queue;
        this.cron = CronExpression.parse(cron);
        this.work = work;
        this.clock = clock;
        this.worker = new WorkQueueWorker(queue, item -> runOnce(item.key()),
                new WorkQueueWorker.Settings(1, pollInterval, lease, Duration.ofSeconds(10), Duration.ofMinutes(10), 100), meters);
    }

    /** The occurrence after {@code instant}, in UTC. */
    Instant nextAfter(Instant instant) {
        ZonedDateTime next = cron.next(instant.atZone(ZoneOffset.UTC));
        if (next == null) {
            throw new IllegalStateException("the settlement schedule " + cron + " never occurs");
        }
        return next.toInstant();
    }

    /** Adds the item of the next occurrence, unless it exists or ran. */
    Mono<Void> scheduleNext() {
        Instant next = nextAfter(clock.instant());
        return ran(next.toString()).flatMap(ran -> ran ? Mono.empty() : queue.schedule(next.toString(), "", next).then());
    }

    private Mono<Void> runOnce(String occurrence) {
        return ran(occurrence)
                .flatMap(ran -> ran ? Mono.<Void>empty() : work.apply(occurrence)
                        .then(database.sql("INSERT INTO settlement_schedule_runs (occurrence, completed_at) VALUES (:occurrence, now())"
                                        + " ON CONFLICT (occurrence) DO NOTHING")
                                .bind("occurrence", occurrence).then())
                        .doOnSuccess(done -> log.info("Settlement schedule: occurrence {} ran", occurrence)))
                .then(Mono.defer(this::scheduleNext));
    }

    private Mono<Boolean> ran(String occurrence) {
        return database.sql("SELECT 1 AS ran FROM settlement_schedule_runs WHERE occurrence = :occurrence")
                .bind("occurrence", occurrence)
                .map(row -> true)
                .one()
                .defaultIfEmpty(false);
    }

    @Override
    public void start() {
        // The first occurrence is added on start (tried again while the database is unreachable); each run adds the one after it.
        firstOccurrence = Mono.defer(this::scheduleNext)
                .doOnError(failure -> log.warn("Could not add the next settlement occurrence yet: {}", failure.toString()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofMinutes(1)))
                .subscribe();
        worker.start();
    }

    @Override
    public void stop() {
        if (firstOccurrence != null) {
            firstOccurrence.dispose();
        }
        worker.stop();
    }

    @Override
    public boolean isRunning() {
        return worker.isRunning();
    }
}
