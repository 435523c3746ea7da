package dev.paystream.customer.invoice.application;

import dev.paystream.customer.invoice.domain.InvoiceId;
import dev.paystream.customer.invoice.domain.Money;

/**
 * What a payment event asks of an invoice: a capture pays it ({@code refundId} null), a refund takes
 * back part of what its payment paid.
 */
public record PaymentToApply(String merchantId, InvoiceId invoiceId, String paymentId, String refundId, Money amount) {

    public boolean isRefund() {
        return refundId != null;
    }
}
