package dev.paystream.platform.idempotency;

/**
 * What is known of an idempotency key: the request it was first used with, the claim that request
 * runs under, the effect it committed (the id of what it created or changed, written by the same
 * statement as the effect itself) and, once that request answered, the response to replay.
 * {@code responseStatus} is null while no answer is kept.
 */
record IdempotencyRecord(String requestFingerprint, String claimToken, String effect, Integer responseStatus, String responseType,
                         byte[] responseBody) {

    boolean completed() {
        return responseStatus != null;
    }

    /** The request committed its effect but its answer was never kept (lost with a connection, or a crash). */
    boolean effectWithoutAnswer() {
        return responseStatus == null && effect != null;
    }
}
