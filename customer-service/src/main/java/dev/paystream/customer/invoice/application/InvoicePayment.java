package dev.paystream.customer.invoice.application;

import java.time.Instant;

/**
 * A payment applied to an invoice, as {@code GET /v1/invoices/{id}/payments} shows it: its capture
 * ({@code amount_applied}) and its refunds so far ({@code amount_reversed}); what it still pays is the
 * difference.
 *
 * @param reversedAt when its last refund was taken back; null before the first
 */
public record InvoicePayment(String paymentId, long amountApplied, long amountReversed, String currency, Instant appliedAt,
                             Instant reversedAt) {
}
