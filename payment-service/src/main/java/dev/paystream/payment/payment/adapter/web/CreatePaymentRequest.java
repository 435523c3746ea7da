package dev.paystream.payment.payment.adapter.web;

import java.util.Map;

/** The body of {@code POST /v1/payments} (CONTRACT §5), exactly as sent; validated by {@link PaymentRequests}. */
public record CreatePaymentRequest(
        Long amount,
        String currency,
        String paymentMethod,
        CardRequest card,
        String captureMethod,
        String customerId,
        String invoiceId,
        String description,
        Map<String, String> metadata) {

    /** The card as sent. Its {@code toString} never shows the number or the CVC. */
    public record CardRequest(String number, Integer expMonth, Integer expYear, String cvc, String holder) {

        @Override
        public String toString() {
            return "CardRequest[number=****, cvc=***]";
        }
    }
}
