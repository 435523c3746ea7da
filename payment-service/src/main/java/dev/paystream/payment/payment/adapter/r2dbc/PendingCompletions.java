package dev.paystream.payment.payment.adapter.r2dbc;

import dev.paystream.payment.payment.domain.Payment;
import dev.paystream.payment.payment.domain.PaymentEvent;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentProcessingStarted;
import dev.paystream.payment.payment.domain.PaymentStatus;
import dev.paystream.platform.store.AppendStatement;
import dev.paystream.platform.workqueue.WorkQueue;
import java.time.Duration;
import java.util.List;

/**
 * Asynchronous payments waiting for their processor's answer, as items of the work queue
 * {@value #QUEUE} (key: the payment id, payload: its merchant id). An item is added by the append
 * that starts processing and removed by the append that ends it, so a restart resumes every payment
 * still processing rather than forgetting it, and a finished one is never completed again.
 */
public final class PendingCompletions {

    public static final String QUEUE = "payment-completions";
    private static final String PART = "pending_completion";

    private final WorkQueue queue;
    private final Duration completionDelay;

    public PendingCompletions(WorkQueue queue, Duration completionDelay) {
        this.queue = queue;
        this.completionDelay = completionDelay;
    }

    /**
     * Adds to {@code append} what keeps the queue in step with an append of {@code events} to a
     * payment that was {@code before} (null when new): nothing for card payments, which never wait.
     */
    void addTo(AppendStatement append, Payment before, String merchantId, List<PaymentEvent> events) {
        PaymentEvent first = events.get(0);
        if (first instanceof PaymentProcessingStarted started) {
            queue.add(append, PART, started.paymentId().value(), merchantId, started.occurredAt().plus(completionDelay));
        } else if (before != null && before.status() == PaymentStatus.PROCESSING) {
            queue.finish(append, PART, first.paymentId().value());
        }
    }
}
