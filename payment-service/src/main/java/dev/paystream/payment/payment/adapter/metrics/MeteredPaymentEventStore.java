package dev.paystream.payment.payment.adapter.metrics;

import dev.paystream.payment.payment.application.PaymentEventStore;
import dev.paystream.payment.payment.application.RecordedPaymentEvent;
import dev.paystream.payment.payment.domain.Payment;
import dev.paystream.payment.payment.domain.PaymentEvent;
import dev.paystream.payment.payment.domain.PaymentId;
import dev.paystream.platform.idempotency.IdempotentRequest;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A payment event store that reports what each append committed to {@link PaymentMetrics}, once it committed. */
public final class MeteredPaymentEventStore implements PaymentEventStore {

    private final PaymentEventStore store;
    private final PaymentMetrics metrics;

    public MeteredPaymentEventStore(PaymentEventStore store, PaymentMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    @Override
    public Mono<Payment> append(Payment current, List<PaymentEvent> events, IdempotentRequest request, String effect) {
        return store.append(current, events, request, effect).doOnNext(after -> metrics.committed(events, after));
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
