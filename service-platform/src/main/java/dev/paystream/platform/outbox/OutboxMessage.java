package dev.paystream.platform.outbox;

/**
 * One record to publish: the serialized envelope, with the topic, key and type it is published under.
 * {@code eventId} is the envelope's id; it becomes the {@code ce_id} header.
 */
public record OutboxMessage(String eventId, String topic, String key, String eventType, String payload) {
}
