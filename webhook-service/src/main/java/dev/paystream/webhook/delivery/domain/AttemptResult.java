package dev.paystream.webhook.delivery.domain;

/**
 * What one attempt at a delivery got: the receiver's status code and the start of its body, or no
 * answer and why.
 *
 * @param statusCode   null when no answer came
 * @param responseBody the first {@value #RESPONSE_BODY_BYTES_MAX} bytes of the body, as text; null without an answer
 * @param error        why no answer came ({@link Error}); null with an answer
 */
public record AttemptResult(Integer statusCode, long latencyMs, String responseBody, Error error) {

    /** How much of a receiver's answer is kept. */
    public static final int RESPONSE_BODY_BYTES_MAX = 1024;

    /** Why an attempt got no answer. */
    public enum Error {
        /** No answer within the attempt timeout (15 s by default). */
        TIMEOUT("timeout"),
        /** The connection could not be made or broke before the answer. */
        CONNECTION_FAILED("connection_failed"),
        /** The host did not resolve. */
        UNRESOLVABLE("unresolvable"),
        /** The host resolved to an address webhooks are never sent to (SSRF guard); nothing was sent. */
        BLOCKED_TARGET("blocked_target");

        private final String code;

        Error(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    public static AttemptResult answered(int statusCode, long latencyMs, String responseBody) {
        return new AttemptResult(statusCode, latencyMs, responseBody, null);
    }

    public static AttemptResult failed(Error error, long latencyMs) {
        return new AttemptResult(null, latencyMs, null, error);
    }

    public boolean succeeded() {
        return statusCode != null && statusCode >= 200 && statusCode < 300;
    }

    /** 410 Gone: the receiver says this endpoint is no more; it is disabled. */
    public boolean endpointGone() {
        return statusCode != null && statusCode == 410;
    }

    /** Whether the receiver looks unwell: no answer, a 5xx or a 429. Its circuit breaker counts these. */
    public boolean receiverUnwell() {
        return statusCode == null ? error != Error.BLOCKED_TARGET : statusCode >= 500 || statusCode == 429;
    }

    /** A low-cardinality name of the outcome, for metrics: succeeded, gone, http_error or the error's code. */
    public String outcome() {
        if (succeeded()) {
            return "succeeded";
        }
        if (endpointGone()) {
            return "gone";
        }
        return statusCode != null ? "http_error" : error.code();
    }
}
