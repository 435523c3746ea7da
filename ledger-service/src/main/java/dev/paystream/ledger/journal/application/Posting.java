package dev.paystream.ledger.journal.application;

import dev.paystream.ledger.journal.domain.JournalLine;
import java.util.List;

/** What a posting rule decided for one event. */
public sealed interface Posting {

    /** The event moved money: record one entry with these lines. */
    record Lines(List<JournalLine> lines) implements Posting {

        public Lines {
            lines = List.copyOf(lines);
        }
    }

    /** The event moved no money (an authorization) or is not one this ledger posts. */
    record NoMoneyMoved(String why) implements Posting {
    }

    /** The event should move money but breaks its contract, so no entry can be derived from it. */
    record Rejected(String reason) implements Posting {
    }
}
