package dev.paystream.customer.invoice.application;

import dev.paystream.customer.invoice.domain.InvoiceTerms;

/** A merchant's new invoice to its customer {@code customerId}, validated. */
public record CreateInvoice(String merchantId, String customerId, InvoiceTerms terms) {
}
