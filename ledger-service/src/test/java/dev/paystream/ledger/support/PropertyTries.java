package dev.paystream.ledger.support;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * The seeds of a property test's tries: a new base seed on every run (so that runs explore new cases),
 * each try's seed in its name and in its failures. A failing try is repeated exactly with
 * {@code -Dledger.properties.seed=<its seed> -Dledger.properties.tries=1}. The number of tries is bounded
 * (each test gives its own default) to keep the build's time small.
 */
public final class PropertyTries {

    private PropertyTries() {
    }

    public static Stream<Long> seeds(int triesByDefault) {
        String given = System.getProperty("ledger.properties.seed");
        long base = given == null ? new SplittableRandom().nextLong() : Long.parseLong(given);
        int tries = Integer.getInteger("ledger.properties.tries", triesByDefault);
        if (given != null && tries == 1) {
            return Stream.of(base);
        }
        SplittableRandom seeds = new SplittableRandom(base);
        return LongStream.range(0, tries).mapToObj(index -> index == 0 ? base : seeds.nextLong());
    }
}
