package dev.paystream.webhook.delivery.domain;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * When a failed delivery is tried again (CONTRACT §10): after the first failed attempt of a round the
 * first delay, after the second the second, and so on; once every delay is used the delivery has
 * failed. The default, {@link #DEFAULT}, tries 8 times over 27 h 35 min.
 */
public record RetrySchedule(List<Duration> delays) {

    public static final RetrySchedule DEFAULT = new RetrySchedule(List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10)));

    public RetrySchedule {
        delays = List.copyOf(delays);
        if (delays.stream().anyMatch(delay -> delay.isNegative() || delay.isZero())) {
            throw new IllegalArgumentException("every retry delay must be positive");
        }
    }

    /** The wait after the {@code failedAttempts}-th failed attempt of a round (1 for the first), or empty when none is left. */
    public Optional<Duration> after(int failedAttempts) {
        if (failedAttempts < 1 || failedAttempts > delays.size()) {
            return Optional.empty();
        }
        return Optional.of(delays.get(failedAttempts - 1));
    }

    /** Attempts of a round: the first and one per delay. */
    public int attemptsMax() {
        return delays.size() + 1;
    }
}
