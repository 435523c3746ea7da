package dev.paystream.platform.consumer;

import java.time.Instant;
import java.util.Objects;

/**
 * An event as a consumer reads it off a topic: the envelope of CONTRACT §11 with its data still
 * unread. {@link EnvelopeReader} guarantees {@code id} and {@code type} (plain names) and that every
 * other string it passes on is one PostgreSQL can store; a handler checks what its own rules need.
 *
 * @param version     0 when the envelope carried none
 * @param aggregateId the payment, customer, invoice or settlement id; null when absent
 * @param sequence    the aggregate's event number, counted from 1; 0 when absent
 * @param merchantId  null when absent
 * @param occurredAt  null when absent or not an ISO-8601 instant
 * @param origin      where the event was read, e.g. {@code paystream.payments.v1-2@17}, for logs and operators
 */
public record IncomingEvent(
        String id,
        String type,
        int version,
        String aggregateId,
        long sequence,
        String merchantId,
        Instant occurredAt,
        EventData data,
        String origin) {

    public IncomingEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(origin, "origin");
    }
}
