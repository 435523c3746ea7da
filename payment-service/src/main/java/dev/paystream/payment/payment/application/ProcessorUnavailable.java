package dev.paystream.payment.payment.application;

import java.time.Duration;

/**
 * The processor is not being called at the moment (its circuit breaker is open after repeated
 * failures). Nothing was recorded; the client should retry after {@code retryAfter}.
 */
public final class ProcessorUnavailable extends RuntimeException {

    private final transient Duration retryAfter;

    public ProcessorUnavailable(Duration retryAfter, Throwable cause) {
        super("the card processor is unavailable", cause);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
