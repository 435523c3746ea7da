package dev.paystream.platform.consumer;

import java.time.Duration;

/**
 * Limits of every event consumer of a service ({@code paystream.consumer.*}).
 *
 * @param retryBackoffFirst      the pause before a failed poll is applied again; it doubles with each failure
 * @param retryBackoffMax        the longest pause between two attempts
 * @param unknownFailureAttempts how often a poll may fail for a reason of unknown kind before the records
 *                               at fault are parked (transient failures are retried without bound)
 * @param applyTimeout           how long one attempt at a poll may take before it counts as a transient failure
 * @param stuckAfter             how long a consumer may fail without progress before its health is DOWN
 * @param parkedRefresh          how often the {@code paystream.consumer.parked.waiting} gauge is read from the database
 */
public record EventConsumerProperties(Duration retryBackoffFirst, Duration retryBackoffMax, int unknownFailureAttempts,
                                      Duration applyTimeout, Duration stuckAfter, Duration parkedRefresh) {

    public EventConsumerProperties {
        if (unknownFailureAttempts < 1) {
            throw new IllegalArgumentException("unknownFailureAttempts must be at least 1");
        }
        for (Duration duration : new Duration[] {retryBackoffFirst, retryBackoffMax, applyTimeout, stuckAfter, parkedRefresh}) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("every duration of paystream.consumer must be positive");
            }
        }
    }

    /** The defaults of paystream-platform.yml. */
    public static EventConsumerProperties defaults() {
        return new EventConsumerProperties(Duration.ofMillis(200), Duration.ofSeconds(30), 8, Duration.ofSeconds(30),
                Duration.ofSeconds(60), Duration.ofSeconds(30));
    }
}
