package dev.paystream.platform.idempotency;

/**
 * What is known of an idempotency key: the request it was first used with and, once that request
 * finished, the response to replay. {@code responseStatus} is null while the first request runs.
 */
record IdempotencyRecord(String requestFingerprint, Integer responseStatus, String responseType, byte[] responseBody) {

    boolean completed() {
        return responseStatus != null;
    }
}
