package dev.paystream.ledger.journal.application;

import java.time.Instant;
import java.util.Objects;

/** A position in a merchant's entries, newest first: the entry a page starts after. */
public record EntryCursor(Instant createdAt, String entryId) {

    public EntryCursor {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(entryId, "entryId");
    }
}
