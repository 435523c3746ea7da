package dev.paystream.platform.consumer;

import java.util.Objects;

/**
 * A record a consumer could not apply, as it is parked: where it was read, what it held and why it
 * failed.
 *
 * @param eventId    the envelope's id when it could be read; else null
 * @param eventType  the envelope's type, on the same terms
 * @param merchantId the envelope's merchant when it could be read; else null
 * @param payload    the record's value; null when it had none
 */
public record UnappliedRecord(
        String consumer,
        String topic,
        int partition,
        long offset,
        String key,
        String eventId,
        String eventType,
        String merchantId,
        String payload,
        Failure failure) {

    public UnappliedRecord {
        Objects.requireNonNull(consumer, "consumer");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(failure, "failure");
    }

    /** Where the record was read, as logs and {@link IncomingEvent#origin()} name it. */
    public String origin() {
        return topic + "-" + partition + "@" + offset;
    }
}
