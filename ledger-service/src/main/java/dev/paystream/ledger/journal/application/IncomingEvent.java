package dev.paystream.ledger.journal.application;

import java.time.Instant;
import java.util.Objects;

/**
 * An event as the ledger reads it off a topic: the envelope of CONTRACT §11 with its data still
 * unread. Only {@code id} and {@code type} are guaranteed; a rule that moves money checks the rest.
 *
 * @param version     0 when the envelope carried none
 * @param aggregateId the payment id for payment events; null when absent
 * @param merchantId  null when absent
 * @param occurredAt  null when absent or not an ISO-8601 instant
 * @param origin      where the event was read, e.g. {@code paystream.payments.v1-2@17}, for logs and operators
 */
public record IncomingEvent(
        String id,
        String type,
        int version,
        String aggregateId,
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
