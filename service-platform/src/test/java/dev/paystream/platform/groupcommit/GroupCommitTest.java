package dev.paystream.platform.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class GroupCommitTest {

    /** A statement that records each batch it is given and completes only when the test says so. */
    private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    private final List<Sinks.One<List<String>>> statementsInFlight = new CopyOnWriteArrayList<>();

    private Mono<List<String>> statement(List<Integer> items) {
        batches.add(List.copyOf(items));
        Sinks.One<List<String>> result = Sinks.one();
        statementsInFlight.add(result);
        return result.asMono();
    }

    private static List<String> answers(List<Integer> items) {
        return items.stream().map(item -> "done-" + item).toList();
    }

    @Test
    void anItemAloneGoesAtOnceAndItemsArrivingMeanwhileGoTogetherInTheNextStatement() {
        GroupCommit<Integer, String> group = new GroupCommit<>(this::statement, 64, 1);
        List<String> results = new CopyOnWriteArrayList<>();

        group.submit(1).subscribe(results::add);
        assertThat(batches).containsExactly(List.of(1));

        group.submit(2).subscribe(results::add);
        group.submit(3).subscribe(results::add);
        group.submit(4).subscribe(results::add);
        assertThat(batches).as("nothing more starts while one statement is in flight").hasSize(1);

        statementsInFlight.get(0).tryEmitValue(answers(batches.get(0)));
        assertThat(results).containsExactly("done-1");
        assertThat(batches).containsExactly(List.of(1), List.of(2, 3, 4));

        statementsInFlight.get(1).tryEmitValue(answers(batches.get(1)));
        assertThat(results).containsExactly("done-1", "done-2", "done-3", "done-4");
    }

    @Test
    void aBacklogLargerThanTheBatchSizeGoesInSeveralStatements() {
        GroupCommit<Integer, String> group = new GroupCommit<>(this::statement, 2, 1);
        List<String> results = new CopyOnWriteArrayList<>();
        for (int item = 1; item <= 5; item++) {
            group.submit(item).subscribe(results::add);
        }
        for (int statement = 0; statement < 3; statement++) {
            statementsInFlight.get(statement).tryEmitValue(answers(batches.get(statement)));
        }

        assertThat(batches).containsExactly(List.of(1), List.of(2, 3), List.of(4, 5));
        assertThat(results).containsExactly("done-1", "done-2", "done-3", "done-4", "done-5");
    }

    @Test
    void aFailedStatementFailsEveryItemOfItsBatchAndTheNextBatchStillGoes() {
        GroupCommit<Integer, String> group = new GroupCommit<>(this::statement, 64, 1);
        Mono<String> first = group.submit(1);
        List<Object> outcomes = new CopyOnWriteArrayList<>();
        first.subscribe(outcomes::add, outcomes::add);
        group.submit(2).subscribe(outcomes::add, outcomes::add);
        group.submit(3).subscribe(outcomes::add, outcomes::add);

        statementsInFlight.get(0).tryEmitValue(answers(batches.get(0)));
        statementsInFlight.get(1).tryEmitError(new IllegalStateException("database down"));
        group.submit(4).subscribe(outcomes::add, outcomes::add);
        statementsInFlight.get(2).tryEmitValue(answers(batches.get(2)));

        assertThat(batches).containsExactly(List.of(1), List.of(2, 3), List.of(4));
        assertThat(outcomes).hasSize(4);
        assertThat(outcomes.get(0)).isEqualTo("done-1");
        assertThat(outcomes.get(1)).isInstanceOf(IllegalStateException.class).hasFieldOrPropertyWithValue("message", "database down");
        assertThat(outcomes.get(2)).isInstanceOf(IllegalStateException.class);
        assertThat(outcomes.get(3)).isEqualTo("done-4");
    }

    @Test
    void aStatementThatAnswersForTheWrongNumberOfItemsFailsThem() {
        GroupCommit<Integer, String> group = new GroupCommit<>(items -> Mono.just(List.of("one answer", "too many")), 64, 1);

        StepVerifier.create(group.submit(1))
                .expectErrorMessage("the statement emitted 2 results for 1 items")
                .verify();
        StepVerifier.create(group.submit(2))
                .expectErrorMessage("the statement emitted 2 results for 1 items")
                .verify();
    }

    @Test
    void nothingSubmittedIsLostOrAnsweredTwiceUnderConcurrency() throws Exception {
        // A statement that completes on another thread, like a database driver's.
        ExecutorService database = Executors.newSingleThreadExecutor();
        GroupCommit<Integer, String> group = new GroupCommit<>(items -> Mono.fromCallable(() -> answers(items))
                .subscribeOn(reactor.core.scheduler.Schedulers.fromExecutor(database)), 16, 2);
        int threads = 4;
        int perThread = 500;
        List<String> results = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(threads * perThread);
        ExecutorService callers = Executors.newFixedThreadPool(threads);
        try {
            for (int thread = 0; thread < threads; thread++) {
                int base = thread * perThread;
                callers.submit(() -> {
                    for (int item = base; item < base + perThread; item++) {
                        group.submit(item).subscribe(result -> {
                            results.add(result);
                            done.countDown();
                        });
                    }
                });
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).as("every item answered").isTrue();
        } finally {
            callers.shutdownNow();
            database.shutdownNow();
        }
        List<String> expected = new ArrayList<>();
        for (int item = 0; item < threads * perThread; item++) {
            expected.add("done-" + item);
        }
        assertThat(results).containsExactlyInAnyOrderElementsOf(expected);
    }
}
