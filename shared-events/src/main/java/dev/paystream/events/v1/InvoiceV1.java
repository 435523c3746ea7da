package dev.paystream.events.v1;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * An invoice as it stands after an event: the same shape as the HTTP API's invoice object
 * (CONTRACT §7). Amounts are integers in the currency's minor unit; {@code amount_due} is
 * {@code amount - amount_paid}. {@code status} is {@code open}, {@code paid} or {@code void}.
 */
public record InvoiceV1(
        String id,
        String status,
        String customerId,
        long amount,
        long amountPaid,
        long amountDue,
        String currency,
        String description,
        LocalDate dueDate,
        Map<String, String> metadata,
        Instant createdAt,
        Instant updatedAt) {
}
