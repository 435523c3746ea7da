package dev.paystream.webhook.delivery.application;

import java.time.Instant;
import java.util.List;

/**
 * A delivery as the API shows it (CONTRACT §10), with every attempt, oldest first.
 *
 * @param status        pending, delivered or failed
 * @param nextAttemptAt when it is tried next; null unless pending
 */
public record Delivery(String id, String eventId, String endpointId, String eventType, String status, Instant nextAttemptAt,
                       List<Attempt> attempts, Instant createdAt, Instant updatedAt) {

    /**
     * One attempt: when, the receiver's status code (null without an answer) and the first 1 KiB of
     * its body, how long it took, and why no answer came ({@code timeout}, {@code connection_failed},
     * {@code unresolvable}, {@code blocked_target}; null with an answer).
     */
    public record Attempt(Instant at, Integer statusCode, long latencyMs, String responseBody, String error) {
    }
}
