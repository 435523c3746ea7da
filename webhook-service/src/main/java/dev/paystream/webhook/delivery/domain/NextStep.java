package dev.paystream.webhook.delivery.domain;

import java.time.Instant;

/** What becomes of a delivery after an attempt. */
public sealed interface NextStep {

    /** A 2xx: done. */
    record Delivered() implements NextStep {
    }

    /** Not delivered; tried again at {@code at}. */
    record RetryAt(Instant at) implements NextStep {
    }

    /** Not delivered, and no attempt is left in the schedule. */
    record Exhausted() implements NextStep {
    }

    /** A 410: the delivery has failed and its endpoint is disabled. */
    record EndpointGone() implements NextStep {
    }

    /**
     * @param roundAttempts attempts of the round including this one
     */
    static NextStep after(AttemptResult result, int roundAttempts, RetrySchedule schedule, Instant now) {
        if (result.succeeded()) {
            return new Delivered();
        }
        if (result.endpointGone()) {
            return new EndpointGone();
        }
        return schedule.after(roundAttempts).<NextStep>map(delay -> new RetryAt(now.plus(delay))).orElseGet(Exhausted::new);
    }

    /** The status the delivery has after this step. */
    default String status() {
        if (this instanceof Delivered) {
            return "delivered";
        }
        return this instanceof RetryAt ? "pending" : "failed";
    }
}
