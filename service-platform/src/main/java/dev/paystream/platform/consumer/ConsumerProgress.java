package dev.paystream.platform.consumer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Whether a consumer makes progress: for each of its threads, the failures since that thread last
 * applied a poll. A consumer that keeps failing without progress is stuck, and its health says so;
 * a consumer that has nothing to read is not.
 */
final class ConsumerProgress {

    /**
     * The failures of one thread since it last applied a poll.
     *
     * @param batch           the poll that failed last, as its first record's position and its size
     * @param unknownFailures how often that very poll failed for a reason of unknown kind
     */
    record Streak(Instant since, int failures, String batch, int unknownFailures, Failure last) {
    }

    private final Clock clock;
    private final Map<Long, Streak> streaks = new ConcurrentHashMap<>();

    ConsumerProgress(Clock clock) {
        this.clock = clock;
    }

    /** How often the poll about to be applied on this thread has failed for a reason of unknown kind. */
    int unknownFailuresOf(List<ConsumerRecord<String, String>> records) {
        Streak streak = streaks.get(Thread.currentThread().getId());
        return streak != null && streak.batch().equals(batch(records)) ? streak.unknownFailures() : 0;
    }

    /** This thread applied a poll: whatever failed before is over. */
    void applied() {
        streaks.remove(Thread.currentThread().getId());
    }

    /**
     * This thread's partitions were taken away (a rebalance): the poll it failed on is another
     * member's now, and a streak it never ends would say "stuck" for ever.
     */
    void partitionsRevoked() {
        streaks.remove(Thread.currentThread().getId());
    }

    /** This thread failed to apply a poll; returns the streak it is now in. */
    Streak failed(List<ConsumerRecord<String, String>> records, Failure failure) {
        String batch = batch(records);
        int unknown = failure.kind() == Failure.Kind.UNKNOWN ? 1 : 0;
        return streaks.compute(Thread.currentThread().getId(), (thread, streak) -> streak == null
                ? new Streak(clock.instant(), 1, batch, unknown, failure)
                // A different poll (after a rebalance, say) continues the streak: still no progress.
                : new Streak(streak.since(), streak.failures() + 1, batch,
                        (streak.batch().equals(batch) ? streak.unknownFailures() : 0) + unknown, failure));
    }

    /** The longest streak of failures without progress, if any thread is in one. */
    Optional<Streak> longestStreak() {
        return streaks.values().stream().min(Comparator.comparing(Streak::since));
    }

    /** How long the consumer has been failing without progress; zero when it is not. */
    Duration failingFor() {
        return longestStreak().map(streak -> Duration.between(streak.since(), clock.instant())).orElse(Duration.ZERO);
    }

    private static String batch(List<ConsumerRecord<String, String>> records) {
        if (records.isEmpty()) {
            return "";
        }
        ConsumerRecord<String, String> first = records.get(0);
        return first.topic() + "-" + first.partition() + "@" + first.offset() + "+" + records.size();
    }
}
