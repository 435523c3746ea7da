package dev.paystream.platform.outbox;

import java.time.Duration;

/**
 * Limits of the relay.
 *
 * @param batchSize the most rows published in one transaction
 * @param pollInterval how long an idle relay waits before looking again (a local commit wakes it sooner)
 * @param sendTimeout how long one batch may wait for the broker's acknowledgements
 * @param backoffMax the longest pause after repeated failures (broker or database down)
 */
public record OutboxRelayProperties(int batchSize, Duration pollInterval, Duration sendTimeout, Duration backoffMax) {
}
