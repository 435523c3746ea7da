package dev.paystream.payment.payment.domain;

import java.util.Map;

/** What the merchant said about a payment when creating it; it never changes afterwards. */
public record PaymentDetails(
        String merchantId,
        Money amount,
        PaymentMethodType method,
        CardSummary card,
        CaptureMethod captureMethod,
        String customerId,
        String invoiceId,
        String description,
        Map<String, String> metadata) {

    public PaymentDetails {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
