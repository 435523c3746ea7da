package dev.paystream.customer.invoice.domain;

import java.util.List;

/** The result of deciding a command: the events to append (none when there is nothing to change), or the reason it was refused. */
public sealed interface Decision {

    record Accepted(List<InvoiceEvent> events) implements Decision {
        public Accepted {
            events = List.copyOf(events);
        }
    }

    record Rejected(Rejection rejection, String detail) implements Decision {
    }
}
