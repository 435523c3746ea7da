package dev.paystream.customer.invoice.adapter.web;

import java.util.Map;

/** The body of {@code POST /v1/invoices} (CONTRACT §7), exactly as sent; validated by {@link InvoiceRequests}. */
public record CreateInvoiceRequest(
        String customerId,
        Long amount,
        String currency,
        String description,
        String dueDate,
        Map<String, String> metadata) {
}
