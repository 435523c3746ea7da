package dev.paystream.payment.payment.adapter.metrics;

import dev.paystream.payment.payment.application.PaymentEventStore;
import dev.paystream.payment.payment.application.RecordedPaymentEvent;
import dev.paystream.payment.payment.domain.Payment;
import dev.paystream.payment.payment.domain.PaymentEvent;
import dev.paystream.payment.payment.domain.PaymentId;
import dev.paystream.platform.idempotency.IdempotentRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A payment event store that reports what each append committed to {@link PaymentMetrics}, once it
 * committed. Counting never fails the append: the events are committed, and the caller must hear so.
 */
public final class MeteredPaymentEventStore implements PaymentEventStore {

    private static final Logger log = LoggerFactory.getLogger(MeteredPaymentEventStore.class);

    private final PaymentEventStore store;
    private final PaymentMetrics metrics;

    public MeteredPaymentEventStore(PaymentEventStore store, PaymentMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    @Override
    public Mono<Payment> append(Payment current, List<PaymentEvent> events, IdempotentRequest request, String effect) {
        return store.append(current, events, request, effect).doOnNext(after -> {
            try {
                metrics.committed(events, after);
            } catch (RuntimeException failure) {
                log.warn("Could not count the events committed for payment {} in the metrics: {}", after.id(), failure.toString());
            }
        });
    }

    @Override
    public Mono<Payment> load(PaymentId id, String merchantId) {
        return store.load(id, merchantId);
    }

    @Override
    public Flux<RecordedPaymentEvent> history(PaymentId id, String merchantId) {
        return store.history(id, merchantId);
    }
}
