package dev.paystream.payment.payment.application;

import dev.paystream.payment.payment.domain.InvoiceTerms;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * The customers and invoices a payment may name, as this service knows them from their topics (no
 * call to customer-service). A lookup of one created an instant ago waits for the projection to catch
 * up before it says "unknown" (read your writes, docs/adr/0005).
 */
public interface PaymentReferences {

    Mono<Boolean> customerExists(String merchantId, String customerId);

    /** The invoice's terms and what this service's payments hold against it; empty when the merchant has no such invoice. */
    Mono<Optional<InvoiceTerms>> invoice(String merchantId, String invoiceId);
}
