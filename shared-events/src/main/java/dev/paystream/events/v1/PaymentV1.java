package dev.paystream.events.v1;

import java.time.Instant;
import java.util.Map;

/**
 * The payment as it stands after an event: the same shape as the HTTP API's payment object
 * (CONTRACT §5), so that a consumer or a webhook receiver needs one model of a payment.
 * Amounts are integers in the currency's minor unit. The card number and CVC are never part of it.
 * {@code decline_code} says why the processor refused a payment ({@code declined}); {@code failure_code}
 * why it could not be processed at all ({@code failed}).
 */
public record PaymentV1(
        String id,
        String status,
        long amount,
        long amountCapturable,
        long amountCaptured,
        long amountRefunded,
        String currency,
        String paymentMethod,
        CardV1 card,
        String customerId,
        String invoiceId,
        String description,
        Map<String, String> metadata,
        String authCode,
        String declineCode,
        String failureCode,
        String settlementId,
        Instant createdAt,
        Instant updatedAt) {
}
