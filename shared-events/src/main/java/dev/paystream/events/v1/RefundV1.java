package dev.paystream.events.v1;

import java.time.Instant;

/** A refund as the API returns it (CONTRACT §5): {@code amount} of a payment's captured money returned to the customer. */
public record RefundV1(String id, String paymentId, long amount, String currency, String reason, String status, Instant createdAt) {
}
