package dev.paystream.webhook.delivery.application;

import java.util.List;

/**
 * A delivery as an attempt needs it: where to, signed with what, and the body.
 *
 * @param secrets       the endpoint's valid secrets, newest first (two during a rotation)
 * @param endpointLive  false once the endpoint is disabled or deleted
 * @param roundAttempts attempts made since the delivery was created or last re-sent by hand
 * @param attemptsTotal attempts ever made
 */
public record AttemptContext(String deliveryId, String eventId, String endpointId, String status, int roundAttempts, int attemptsTotal,
                             String url, List<String> secrets, boolean endpointLive, String body) {

    public boolean pending() {
        return "pending".equals(status);
    }
}
