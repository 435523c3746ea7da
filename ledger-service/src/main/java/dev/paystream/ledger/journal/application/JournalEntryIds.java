package dev.paystream.ledger.journal.application;

import dev.paystream.ledger.journal.domain.JournalEntryId;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Supplier;

/** New journal entry ids: {@code je_} and 24 random hex digits. */
public final class JournalEntryIds implements Supplier<JournalEntryId> {

    private static final int RANDOM_BYTES = 12;

    private final SecureRandom random = new SecureRandom();

    @Override
    public JournalEntryId get() {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return new JournalEntryId("je_" + HexFormat.of().formatHex(bytes));
    }
}
