package dev.paystream.payment.payment.adapter.scheduling;

import dev.paystream.payment.payment.application.PaymentCommandHandler;
import dev.paystream.payment.payment.application.PaymentEventStore;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Completes asynchronous payments whose processing delay is over. It reads the persisted pending list,
 * so payments accepted before a restart are completed after it. Several instances may run it: a
 * payment is only completed while it is still processing, so a race ends in one outcome.
 */
public final class ProcessingCompletionWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProcessingCompletionWorker.class);
    private static final int BATCH_SIZE_MAX = 50;

    private final PaymentEventStore store;
    private final PaymentCommandHandler commands;
    private final Duration pollInterval;
    private Disposable schedule;

    public ProcessingCompletionWorker(PaymentEventStore store, PaymentCommandHandler commands, Duration pollInterval) {
        this.store = store;
        this.commands = commands;
        this.pollInterval = pollInterval;
    }

    /** Completes every due payment once; used by the schedule and handy in tests. */
    public Mono<Long> completeDuePayments() {
        return store.dueCompletions(BATCH_SIZE_MAX)
                .concatMap(pending -> commands.completeProcessing(pending.merchantId(), pending.paymentId())
                        .onErrorResume(failure -> {
                            log.warn("Could not complete payment {} yet, will retry: {}", pending.paymentId(), failure.toString());
                            return Mono.empty();
                        }))
                .count();
    }

    @Override
    public void start() {
        schedule = Flux.interval(pollInterval)
                .onBackpressureDrop()
                .concatMap(tick -> completeDuePayments().onErrorResume(failure -> {
                    log.warn("Listing due asynchronous payments failed, retrying in {}: {}", pollInterval, failure.toString());
                    return Mono.just(0L);
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
