package dev.paystream.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class FailedAuthenticationsTest {

    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final ManualClock clock = new ManualClock();
    private final FailedAuthentications failures = new FailedAuthentications(3, WINDOW, clock);

    @Test
    void refusesAnAddressOnceItFailedTheLimitWithinTheWindowUntilTheWindowEnds() {
        for (int failure = 0; failure < 3; failure++) {
            assertThat(failures.refusedFor("198.51.100.7")).isEmpty();
            failures.record("198.51.100.7");
            clock.advance(Duration.ofSeconds(10));
        }

        assertThat(failures.refusedFor("198.51.100.7")).contains(Duration.ofSeconds(30));
        assertThat(failures.refusedFor("198.51.100.8")).as("another address").isEmpty();

        clock.advance(Duration.ofSeconds(30));
        assertThat(failures.refusedFor("198.51.100.7")).isEmpty();
    }

    @Test
    void failuresSpreadOverLongerThanTheWindowAreNeverRefused() {
        for (int failure = 0; failure < 10; failure++) {
            failures.record("198.51.100.9");
            clock.advance(Duration.ofSeconds(25));
            failures.record("198.51.100.9");
            assertThat(failures.refusedFor("198.51.100.9")).isEmpty();
            clock.advance(Duration.ofSeconds(40));
        }
    }

    @Test
    void anIpv6ClientIsCountedByItsSlash64WhichOneHostCanFillAtWill() throws UnknownHostException {
        String first = FailedAuthentications.clientOf(InetAddress.getByName("2001:db8:1:2:aaaa::1"));
        String second = FailedAuthentications.clientOf(InetAddress.getByName("2001:db8:1:2:bbbb::9"));
        String elsewhere = FailedAuthentications.clientOf(InetAddress.getByName("2001:db8:1:3::1"));

        assertThat(first).isEqualTo(second).isNotEqualTo(elsewhere);
        assertThat(FailedAuthentications.clientOf(InetAddress.getByName("192.0.2.1")))
                .isNotEqualTo(FailedAuthentications.clientOf(InetAddress.getByName("192.0.2.2")));
    }

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {

        private Instant now = Instant.parse("2026-11-23T18:30:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
