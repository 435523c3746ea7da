package dev.paystream.customer.invoice.application;

import dev.paystream.customer.invoice.domain.InvoiceStatus;
import dev.paystream.events.v1.InvoiceV1;
import dev.paystream.platform.web.PageRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads of invoices as the API shows them, from the read model the event store keeps. */
public interface InvoiceQueries {

    /** Filters of {@code GET /v1/invoices}; null means any. */
    record Filter(String customerId, InvoiceStatus status) {
    }

    /** The invoice; empty when it does not exist or belongs to another merchant. */
    Mono<InvoiceV1> find(String id, String merchantId);

    /**
     * The rows of {@code page} ({@link PageRequest#rowsToFetch()} at most): newest first, after its
     * cursor when it has one. An unknown cursor gives nothing.
     */
    Flux<InvoiceV1> list(String merchantId, Filter filter, PageRequest page);

    /**
     * The payments applied to the merchant's invoice {@code invoiceId}, a page of them as {@link #list}
     * gives invoices, the cursor a payment id.
     */
    Flux<InvoicePayment> payments(String invoiceId, String merchantId, PageRequest page);

    /** One payment applied to the merchant's invoice; empty when it was not applied to it. */
    Mono<InvoicePayment> payment(String invoiceId, String merchantId, String paymentId);
}
