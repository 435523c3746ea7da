package dev.paystream.platform.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

    private static final Instant MOMENT = Instant.parse("2026-11-23T18:30:01.000Z");

    @Test
    void anIdIsItsPrefixItsMillisecondAndRandomDigitsAndALaterIdSortsAfter() {
        String first = new TimeOrderedIds(Clock.fixed(MOMENT, ZoneOffset.UTC)).next("pay_");
        String second = new TimeOrderedIds(Clock.fixed(MOMENT.plusMillis(1), ZoneOffset.UTC)).next("pay_");

        assertThat(first).matches("pay_[0-9a-f]{24}");
        assertThat(first.substring(4, 16)).isEqualTo(String.format("%012x", MOMENT.toEpochMilli()));
        assertThat(second).isGreaterThan(first);
    }

    @Test
    void idsOfOneMillisecondDifferInTheirRandomHalf() {
        TimeOrderedIds ids = new TimeOrderedIds(Clock.fixed(MOMENT, ZoneOffset.UTC));
        Set<String> seen = new HashSet<>();
        for (int index = 0; index < 10_000; index++) {
            seen.add(ids.next("evt_"));
        }
        assertThat(seen).hasSize(10_000);
    }
}
