package dev.paystream.ledger.journal.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JournalEntryIdsTest {

    @Test
    void idsStartWithTheirMillisecondSoThatLaterIdsSortAfterEarlierOnes() {
        JournalEntryIds earlier = new JournalEntryIds(Clock.fixed(Instant.parse("2026-11-23T18:30:01.000Z"), ZoneOffset.UTC));
        JournalEntryIds later = new JournalEntryIds(Clock.fixed(Instant.parse("2026-11-23T18:30:01.001Z"), ZoneOffset.UTC));

        String first = earlier.get().value();
        String second = later.get().value();

        assertThat(first).matches("je_[0-9a-f]{24}");
        assertThat(first.substring(3, 15)).isEqualTo(String.format("%012x", Instant.parse("2026-11-23T18:30:01.000Z").toEpochMilli()));
        assertThat(second).isGreaterThan(first);
    }

    @Test
    void idsOfOneMillisecondDifferInTheirRandomHalf() {
        JournalEntryIds ids = new JournalEntryIds(Clock.fixed(Instant.parse("2026-11-23T18:30:01Z"), ZoneOffset.UTC));
        Set<String> seen = new HashSet<>();
        for (int index = 0; index < 10_000; index++) {
            seen.add(ids.get().value());
        }
        assertThat(seen).hasSize(10_000);
    }
}
