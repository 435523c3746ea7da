package dev.paystream.payment.payment.application;

import dev.paystream.events.v1.PaymentV1;
import dev.paystream.platform.web.PageRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads of payments as the API shows them, from the read model the event store keeps. */
public interface PaymentQueries {

    /** Filters of {@code GET /v1/payments}; null means any. */
    record Filter(String customerId, String status, String invoiceId) {
    }

    /** The payment; empty when it does not exist or belongs to another merchant. */
    Mono<PaymentV1> find(String id, String merchantId);

    /**
     * The rows of {@code page} ({@link PageRequest#rowsToFetch()} at most): newest first, after its
     * cursor when it has one. An unknown cursor gives nothing.
     */
    Flux<PaymentV1> list(String merchantId, Filter filter, PageRequest page);
}
