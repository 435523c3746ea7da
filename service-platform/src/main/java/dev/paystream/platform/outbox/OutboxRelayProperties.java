package dev.paystream.platform.outbox;

import java.time.Duration;

/**
 * Limits of the relay.
 *
 * @param batchSize the most rows published in one transaction
 * @param pollInterval how long an idle relay waits before looking again (a local commit wakes it sooner)
 * @param linger how long the relay waits after a batch that was not full, so that under load one
 *               batch (one transaction, one produce request) carries the rows of many commits; it
 *               bounds the publication latency it adds
 * @param sendTimeout how long one batch may wait for the broker's acknowledgements
 * @param backoffMax the longest pause after repeated failures (broker or database down)
 * @param lockIdleTimeout how long the relay's transaction may sit idle (waiting for the broker, or its
 *                        instance stalled) before PostgreSQL ends it and frees the relay lock for another
 *                        instance; longer than the send timeout, so that a healthy relay never loses it
 * @param vacuumAfterRows after publishing (and deleting) this many rows the relay vacuums the outbox
 *                        table itself; 0 leaves it to autovacuum alone
 */
public record OutboxRelayProperties(int batchSize, Duration pollInterval, Duration linger, Duration sendTimeout, Duration backoffMax,
                                    Duration lockIdleTimeout, long vacuumAfterRows) {

    public OutboxRelayProperties {
        if (lockIdleTimeout.compareTo(sendTimeout) <= 0) {
            throw new IllegalArgumentException("paystream.outbox.lock-idle-timeout must be longer than the send timeout");
        }
    }
}
