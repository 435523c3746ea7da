package dev.paystream.events;

import java.time.Instant;

/**
 * The value of every record on a Paystream topic (CONTRACT §11).
 *
 * <p>{@code sequence} counts the events of one aggregate from 1 without gaps, so a consumer can tell
 * a duplicate (an {@code id} it has seen) from a gap (a sequence it has not). Serialized with
 * snake_case property names: {@code aggregate_id}, {@code merchant_id}, {@code occurred_at}.
 *
 * @param <T> the type-specific payload, one of the records in a {@code .v1} package
 */
public record EventEnvelope<T>(
        String id,
        String type,
        int version,
        String aggregateId,
        long sequence,
        String merchantId,
        Instant occurredAt,
        T data) {
}
