package dev.paystream.platform.consumer;

import java.time.Instant;

/**
 * A record a consumer parked instead of applying, kept for an operator to read and re-drive.
 *
 * @param payload        the record's value as text, a NUL stored as the JSON escape {@code \u0000};
 *                       null when the record had none or when it was parked before payloads were kept
 * @param failureCode    why it was parked, one of the codes of {@link Failure}
 * @param failureMessage the failure in one line; after a failed re-drive, that re-drive's
 * @param status         {@link #PARKED} until a re-drive applies it, then {@link #RESOLVED}
 * @param redriveCount   how often an operator re-drove it
 */
public record ParkedEvent(
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

    public static final String PARKED = "parked";
    public static final String RESOLVED = "resolved";

    public String origin() {
        return topic + "-" + partition + "@" + offset;
    }

    public boolean isResolved() {
        return RESOLVED.equals(status);
    }
}
