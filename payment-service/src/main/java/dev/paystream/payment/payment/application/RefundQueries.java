package dev.paystream.payment.payment.application;

import dev.paystream.events.v1.RefundV1;
import dev.paystream.platform.web.PageRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads of refunds as the API shows them (CONTRACT §5), from the read model the payment event store keeps. */
public interface RefundQueries {

    /** The refund; empty when it does not exist or belongs to another merchant. */
    Mono<RefundV1> find(String id, String merchantId);

    /** The rows of {@code page}, newest first, of one payment when {@code paymentId} is given. */
    Flux<RefundV1> list(String merchantId, String paymentId, PageRequest page);
}
