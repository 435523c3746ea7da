package dev.paystream.ledger.journal.application;

import java.util.Locale;

/** What applying one event did to the ledger. */
public enum PostingOutcome {
    /** A journal entry was recorded. */
    POSTED,
    /** The event had been applied before; nothing changed. */
    DUPLICATE,
    /** The event was claimed as processed and moved no money. */
    NO_MONEY_MOVED,
    /** The event breaks its contract; it was not claimed, and the consumer parked it for an operator. */
    REJECTED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
