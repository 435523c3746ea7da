package dev.paystream.payment.payout.application;

import dev.paystream.events.v1.PayoutV1;
import dev.paystream.platform.web.PageRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads of payouts as the API shows them, from the read model the event store keeps. */
public interface PayoutQueries {

    /** Filters of {@code GET /v1/payouts}; null means any. */
    record Filter(String customerId, String status) {
    }

    Mono<PayoutV1> find(String id, String merchantId);

    /** The rows of {@code page} ({@link PageRequest#rowsToFetch()} at most), newest first, after its cursor. */
    Flux<PayoutV1> list(String merchantId, Filter filter, PageRequest page);
}
