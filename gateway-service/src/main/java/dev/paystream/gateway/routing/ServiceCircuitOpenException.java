package dev.paystream.gateway.routing;

import java.time.Duration;

/** A route's circuit breaker is open: the service is not called until {@link #retryAfter()} has passed. */
public final class ServiceCircuitOpenException extends RuntimeException {

    private final transient Duration retryAfter;

    public ServiceCircuitOpenException(String service, Duration retryAfter) {
        super("The circuit breaker of " + service + " is open", null, false, false);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
