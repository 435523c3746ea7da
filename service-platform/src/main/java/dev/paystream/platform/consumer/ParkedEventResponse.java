package dev.paystream.platform.consumer;

import java.time.Instant;

/** A parked event as the operator API shows it (snake_case JSON, CONTRACT §1). */
public record ParkedEventResponse(
        String id,
        String consumer,
        String topic,
        int partition,
        long offset,
        String key,
        String eventId,
        String eventType,
        String merchantId,
        String payload,
        String failureCode,
        String failureMessage,
        String status,
        Instant parkedAt,
        int redriveCount,
        Instant lastRedrivenAt,
        Instant resolvedAt) {

    public static ParkedEventResponse of(ParkedEvent parked) {
        return new ParkedEventResponse(parked.id(), parked.consumer(), parked.topic(), parked.partition(), parked.offset(), parked.key(),
                parked.eventId(), parked.eventType(), parked.merchantId(), parked.payload(), parked.failureCode(), parked.failureMessage(),
                parked.status(), parked.parkedAt(), parked.redriveCount(), parked.lastRedrivenAt(), parked.resolvedAt());
    }
}
