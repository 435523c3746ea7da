package dev.paystream.payment.payment.application;

import dev.paystream.payment.payment.domain.Payment;
import dev.paystream.payment.payment.domain.PaymentEvent;
import dev.paystream.payment.payment.domain.PaymentId;
import dev.paystream.platform.idempotency.IdempotentRequest;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The append-only history of payments. An append is one transaction: the events, their outbox rows
 * and the read model commit together or not at all.
 */
public interface PaymentEventStore {

    /**
     * Appends {@code events} after {@code current} (null for a new payment) and returns the payment
     * they lead to. Fails with {@link ConcurrentPaymentChange} when another writer appended first.
     * When {@code request} is given, {@code effect} (the id of what the request created or changed)
     * is recorded on its idempotency key in the same write, and nothing is written when the key is
     * no longer the request's own ({@code IdempotencyClaimLost}).
     */
    Mono<Payment> append(Payment current, List<PaymentEvent> events, IdempotentRequest request, String effect);

    /** The payment rebuilt from its events, empty when it does not exist or belongs to another merchant. */
    Mono<Payment> load(PaymentId id, String merchantId);

    /** The payment's history, oldest first; empty when it does not exist or belongs to another merchant. */
    Flux<RecordedPaymentEvent> history(PaymentId id, String merchantId);
}
