package dev.paystream.webhook.delivery.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What follows an attempt: delivered on a 2xx, the next wait of the schedule, failed once it is used up, the endpoint disabled on a 410. */
class NextStepTest {

    private static final Instant NOW = Instant.parse("2026-11-23T18:30:00Z");
    private final RetrySchedule schedule = new RetrySchedule(List.of(Duration.ofSeconds(5), Duration.ofMinutes(5)));

    @Test
    void aFailedAttemptWaitsForTheNextDelayUntilTheScheduleIsUsedUp() {
        AttemptResult failed = AttemptResult.answered(500, 10, "");

        assertThat(NextStep.after(failed, 1, schedule, NOW)).isEqualTo(new NextStep.RetryAt(NOW.plusSeconds(5)));
        assertThat(NextStep.after(failed, 2, schedule, NOW)).isEqualTo(new NextStep.RetryAt(NOW.plusSeconds(300)));
        assertThat(NextStep.after(failed, 3, schedule, NOW)).isEqualTo(new NextStep.Exhausted());
        assertThat(NextStep.after(AttemptResult.failed(AttemptResult.Error.TIMEOUT, 15_000), 1, schedule, NOW)).isInstanceOf(NextStep.RetryAt.class);
        assertThat(new NextStep.Exhausted().status()).isEqualTo("failed");
        assertThat(new NextStep.RetryAt(NOW).status()).isEqualTo("pending");
    }

    @Test
    void anyTwoHundredIsDeliveredAndAGoneDisablesTheEndpoint() {
        assertThat(NextStep.after(AttemptResult.answered(204, 3, ""), 1, schedule, NOW)).isEqualTo(new NextStep.Delivered());
        assertThat(NextStep.after(AttemptResult.answered(410, 3, ""), 1, schedule, NOW)).isEqualTo(new NextStep.EndpointGone());
        assertThat(NextStep.after(AttemptResult.answered(301, 3, ""), 1, schedule, NOW)).isInstanceOf(NextStep.RetryAt.class);
    }

    @Test
    void theDefaultScheduleRetriesForMoreThanADay() {
        Duration total = RetrySchedule.DEFAULT.delays().stream().reduce(Duration.ZERO, Duration::plus);

        assertThat(total).isGreaterThan(Duration.ofHours(24));
        assertThat(RetrySchedule.DEFAULT.attemptsMax()).isEqualTo(8);
    }

    @Test
    void onlyUnansweredAttemptsFiveHundredsAndTooManyRequestsCountAgainstAReceiver() {
        assertThat(AttemptResult.failed(AttemptResult.Error.CONNECTION_FAILED, 1).receiverUnwell()).isTrue();
        assertThat(AttemptResult.answered(503, 1, "").receiverUnwell()).isTrue();
        assertThat(AttemptResult.answered(429, 1, "").receiverUnwell()).isTrue();
        assertThat(AttemptResult.answered(400, 1, "").receiverUnwell()).isFalse();
        assertThat(AttemptResult.failed(AttemptResult.Error.BLOCKED_TARGET, 1).receiverUnwell()).isFalse();
    }
}
