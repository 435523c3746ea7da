package dev.paystream.platform.consumer;

import java.util.Objects;

/**
 * A handler's verdict that it cannot apply {@code event}, ever, as it is: it breaks its contract (say,
 * a capture without a positive amount). The event is not claimed; the consumer parks it for an operator.
 *
 * @param reason why, in a sentence an operator understands; never a copy of the event's data
 */
public record Refusal(IncomingEvent event, String reason) {

    public Refusal {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(reason, "reason");
    }
}
