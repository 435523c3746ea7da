package dev.paystream.payment.payment.domain;

import java.util.List;

/** The result of deciding a command: the events to append, or the reason it was refused. */
public sealed interface Decision {

    record Accepted(List<PaymentEvent> events) implements Decision {
        public Accepted {
            events = List.copyOf(events);
        }
    }

    /** @param param the request field the rejection concerns, if one does */
    record Rejected(Rejection rejection, String detail, String param) implements Decision {

        public Rejected(Rejection rejection, String detail) {
            this(rejection, detail, null);
        }
    }
}
