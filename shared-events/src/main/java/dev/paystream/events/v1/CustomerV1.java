package dev.paystream.events.v1;

import java.time.Instant;
import java.util.Map;

/**
 * A customer as it stands after an event: the same shape as the HTTP API's customer object
 * (CONTRACT §4). {@code id} and {@code customer_id} are the same value, chosen by the merchant or
 * generated ({@code cus_...}); it is unique per merchant only, so a consumer keys customers by
 * {@code (merchant_id, id)}.
 */
public record CustomerV1(
        String id,
        String customerId,
        String email,
        String name,
        Map<String, String> metadata,
        Instant createdAt,
        Instant updatedAt) {
}
