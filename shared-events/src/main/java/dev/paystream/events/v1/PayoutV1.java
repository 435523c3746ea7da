package dev.paystream.events.v1;

import java.time.Instant;
import java.util.Map;

/**
 * A payout as the API returns it (CONTRACT §6): {@code amount} of the merchant's available balance sent
 * to customer {@code customer_id} by {@code method} ({@code paypal} or {@code bank_transfer}).
 * {@code status} is {@code pending} until the simulated bank answers, then {@code paid} or {@code failed};
 * {@code failure_code} says why a payout failed ({@code account_closed}), null otherwise.
 */
public record PayoutV1(
        String id,
        String status,
        String customerId,
        long amount,
        String currency,
        String method,
        String description,
        Map<String, String> metadata,
        String failureCode,
        Instant createdAt,
        Instant updatedAt) {
}
