package dev.paystream.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class InMemoryRateLimiterTest {

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

    private final ManualClock clock = new ManualClock();
    private final InMemoryRateLimiter limiter = new InMemoryRateLimiter(clock);

    @Test
    void allowsTheLimitWithinAMinuteAndRefusesTheNextRequest() {
        for (int request = 1; request <= 3; request++) {
            RateLimit limit = limiter.acquireNow("key_a", 3);
            assertThat(limit.allowed()).isTrue();
            assertThat(limit.remaining()).isEqualTo(3 - request);
        }
        RateLimit refused = limiter.acquireNow("key_a", 3);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.remaining()).isZero();
        assertThat(refused.limit()).isEqualTo(3);
    }

    @Test
    void tellsARefusedClientHowLongUntilItsWindowEnds() {
        limiter.acquireNow("key_b", 1);
        clock.advance(Duration.ofSeconds(20));
        assertThat(limiter.acquireNow("key_b", 1).resetAfter()).isEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void opensANewWindowAMinuteAfterTheFirstRequest() {
        limiter.acquireNow("key_c", 1);
        assertThat(limiter.acquireNow("key_c", 1).allowed()).isFalse();
        clock.advance(Duration.ofSeconds(60));
        RateLimit fresh = limiter.acquireNow("key_c", 1);
        assertThat(fresh.allowed()).isTrue();
        assertThat(fresh.resetAfter()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void countsEachKeySeparately() {
        limiter.acquireNow("key_d", 1);
        assertThat(limiter.acquireNow("key_d", 1).allowed()).isFalse();
        assertThat(limiter.acquireNow("key_e", 1).allowed()).isTrue();
    }
}
