package dev.paystream.ledger.journal.application;

import dev.paystream.ledger.journal.domain.JournalEntryId;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * New journal entry ids: {@code je_} and 24 hex digits, the creation millisecond (6 bytes) and then 6
 * random bytes. Entries of one moment sort together, so index inserts stay on the right edge of the
 * journal's B-trees instead of a random page of an index larger than memory.
 */
public final class JournalEntryIds implements Supplier<JournalEntryId> {

    private static final int ID_BYTES = 12;
    private static final int TIME_BYTES = 6;

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    public JournalEntryIds() {
        this(Clock.systemUTC());
    }

    JournalEntryIds(Clock clock) {
        this.clock = clock;
    }

    @Override
    public JournalEntryId get() {
        byte[] bytes = new byte[ID_BYTES];
        random.nextBytes(bytes);
        long millis = clock.millis();
        for (int index = TIME_BYTES - 1; index >= 0; index--) {
            bytes[index] = (byte) millis;
            millis >>>= 8;
        }
        return new JournalEntryId("je_" + HexFormat.of().formatHex(bytes));
    }
}
