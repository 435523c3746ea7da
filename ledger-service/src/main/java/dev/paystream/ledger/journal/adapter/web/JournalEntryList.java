package dev.paystream.ledger.journal.adapter.web;

import java.util.List;

/** A page of journal entries, newest first (CONTRACT §1 lists). */
public record JournalEntryList(List<JournalEntryResponse> data, boolean hasMore) {
}
