package dev.paystream.ledger.journal.domain;

import java.util.Objects;
import java.util.regex.Pattern;

/** A journal entry's id: {@code je_} followed by lower-case hex. */
public record JournalEntryId(String value) {

    private static final Pattern FORMAT = Pattern.compile("je_[0-9a-f]{8,64}");

    public JournalEntryId {
        Objects.requireNonNull(value, "value");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("not a journal entry id: " + value);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
