package dev.paystream.customer.invoice.application;

import reactor.core.publisher.Mono;

/** The customers an invoice may be issued to: the merchant's own (CONTRACT §7: the customer must exist). */
@FunctionalInterface
public interface CustomerDirectory {

    Mono<Boolean> exists(String merchantId, String customerId);
}
