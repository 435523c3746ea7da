package dev.paystream.payment.payout.domain;

import java.util.List;

/** The result of deciding a command on a payout: the events to append, or the reason it was refused. */
public sealed interface Decision {

    record Accepted(List<PayoutEvent> events) implements Decision {
        public Accepted {
            events = List.copyOf(events);
        }
    }

    /** @param param the request field the rejection concerns, if one does */
    record Rejected(Rejection rejection, String detail, String param) implements Decision {
    }
}
