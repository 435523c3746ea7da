package dev.paystream.webhook.delivery.application;

import java.time.Instant;

/** An event as its deliveries send it: the body that is signed, once for every endpoint. */
public record OutgoingEvent(String id, String merchantId, String type, String body, Instant occurredAt) {
}
