package dev.paystream.platform.workqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paystream.platform.store.AppendStatement;
import dev.paystream.platform.store.SqlPart;
import dev.paystream.platform.store.TableRows;
import dev.paystream.testsupport.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/** The durable work queue on a real PostgreSQL: each item to one worker at a time, taken over after a crash, finished with its effect. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkQueueIntegrationTest {

    private DatabaseClient database;

    @BeforeAll
    void migrate() {
        TestPostgres.Database db = TestPostgres.createDatabase("workqueue");
        Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).locations("classpath:db/platform").load().migrate();
        ConnectionFactory connections = ConnectionFactories.get(ConnectionFactoryOptions.parse(db.r2dbcUrl()).mutate()
                .option(ConnectionFactoryOptions.USER, db.user())
                .option(ConnectionFactoryOptions.PASSWORD, db.password())
                .build());
        database = DatabaseClient.create(connections);
        database.sql("CREATE TABLE effects (id TEXT PRIMARY KEY)").then().block();
    }

    @Test
    void concurrentWorkersNeverTakeTheSameItem() {
        WorkQueue queue = new WorkQueue(database, "queue-" + UUID.randomUUID());
        List<String> keys = IntStream.range(0, 200).mapToObj(i -> "item-" + i).toList();
        keys.forEach(key -> add(queue, key, Instant.now().minusSeconds(1)));

        List<WorkItem> taken = Flux.range(0, 8).parallel(8).runOn(Schedulers.boundedElastic())
                .flatMap(worker -> Flux.range(0, 10).concatMap(round -> queue.take(5, Duration.ofMinutes(1))))
                .sequential().collectList().block();

        assertThat(taken).extracting(WorkItem::key).doesNotHaveDuplicates().hasSize(200);
    }

    @Test
    void anItemWhoseWorkerDiedIsTakenAgainOnceItsLeaseEnds() {
        WorkQueue queue = new WorkQueue(database, "queue-" + UUID.randomUUID());
        add(queue, "payment-1", Instant.now().minusSeconds(1));

        WorkItem first = queue.take(10, Duration.ofSeconds(1)).single().block();
        // The worker holding it dies here: nothing finishes the item.
        assertThat(queue.take(10, Duration.ofSeconds(1)).collectList().block()).as("leased to the dead worker").isEmpty();

        WorkItem again = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> queue.take(10, Duration.ofMinutes(1)).collectList().block(), items -> !items.isEmpty()).get(0);
        assertThat(again.key()).isEqualTo("payment-1");
        assertThat(again.attempts()).isEqualTo(2);
        // The dead worker's lease is over: what it might still do to the item no longer counts.
        queue.done(first).block();
        assertThat(queue.pendingCount().block()).isEqualTo(1);
        queue.done(again).block();
        assertThat(queue.pendingCount().block()).isZero();
    }

    @Test
    void anItemIsNotDueBeforeItsTimeAndIsFinishedWithTheEffectThatCompletesIt() {
        WorkQueue queue = new WorkQueue(database, "queue-" + UUID.randomUUID());
        add(queue, "later", Instant.now().plusSeconds(60));
        add(queue, "now", Instant.now().minusSeconds(1));

        WorkItem item = queue.take(10, Duration.ofMinutes(1)).single().block();
        assertThat(item.key()).isEqualTo("now");

        AppendStatement effect = new AppendStatement(database, "effect").rows("effect", TableRows.into("effects", "id").row("effect-of-now"));
        queue.finish(effect, "work", "now");
        effect.execute().block();
        assertThat(queue.pendingCount().block()).as("only the item not yet due is left").isEqualTo(1);
    }

    @Test
    void theWorkerRetriesFailedWorkWithBackoffAndGivesUpAfterItsAttempts() {
        WorkQueue queue = new WorkQueue(database, "queue-" + UUID.randomUUID());
        add(queue, "flaky", Instant.now().minusSeconds(1));
        add(queue, "broken", Instant.now().minusSeconds(1));
        AtomicInteger flakyRuns = new AtomicInteger();
        Set<String> done = ConcurrentHashMap.newKeySet();
        WorkQueueWorker worker = new WorkQueueWorker(queue, item -> {
            if (item.key().equals("broken") || flakyRuns.incrementAndGet() == 1) {
                return Mono.error(new IllegalStateException("not yet"));
            }
            done.add(item.key());
            return Mono.empty();
        }, new WorkQueueWorker.Settings(10, Duration.ofMillis(50), Duration.ofMinutes(1), Duration.ofMillis(100), Duration.ofMillis(200), 3),
                new SimpleMeterRegistry());

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> {
            worker.runDueItems().block();
            return done.contains("flaky") && failedKeys(queue).contains("broken");
        });
        assertThat(flakyRuns).hasValue(2);
        assertThat(queue.pendingCount().block()).as("the broken item is kept for an operator, not pending").isZero();
        assertThat(queue.take(10, Duration.ofMinutes(1)).collectList().block()).isEmpty();
    }

    @Test
    void aConcurrentWorkerKeepsRunningOtherItemsWhileOneIsSlow() {
        WorkQueue queue = new WorkQueue(database, "queue-" + UUID.randomUUID());
        add(queue, "slow", Instant.now().minusSeconds(10));
        List<String> quick = IntStream.range(0, 30).mapToObj(i -> "quick-" + i).toList();
        quick.forEach(key -> add(queue, key, Instant.now().minusSeconds(1)));
        Set<String> done = ConcurrentHashMap.newKeySet();
        Sinks.Empty<Void> slowMayEnd = Sinks.empty();
        AtomicInteger runningAtOnceMax = new AtomicInteger();
        AtomicInteger runningNow = new AtomicInteger();
        WorkQueueWorker worker = new WorkQueueWorker(queue, item -> {
            runningAtOnceMax.accumulateAndGet(runningNow.incrementAndGet(), Math::max);
            Mono<Void> work = item.key().equals("slow") ? slowMayEnd.asMono() : Mono.delay(Duration.ofMillis(20)).then();
            return work.doOnSuccess(ignored -> done.add(item.key())).doFinally(signal -> runningNow.decrementAndGet());
        }, new WorkQueueWorker.Settings(4, Duration.ofMillis(50), Duration.ofMinutes(1), Duration.ofMillis(100), Duration.ofSeconds(1), 3)
                .withConcurrency(4), new SimpleMeterRegistry());
        worker.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> done.containsAll(quick));
            assertThat(done).as("the slow item still runs, in its own slot").doesNotContain("slow");
            assertThat(runningAtOnceMax.get()).as("never more items at once than the worker's concurrency").isBetween(2, 4);
            slowMayEnd.tryEmitEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> done.contains("slow") && queue.pendingCount().block() == 0);
        } finally {
            worker.stop();
        }
    }

    @Test
    void workThatRecordsItsOwnOutcomePutsItsItemBackOrRemovesItOnlyWhileItHoldsTheLease() {
        WorkQueue queue = new WorkQueue(database, "queue-" + UUID.randomUUID());
        new AppendStatement(database, "cause").rows("cause", TableRows.into("effects", "id")
                .row(queue.name() + "/fan-out/a").row(queue.name() + "/fan-out/b")).execute().block();
        run(queue.addEach("work", "SELECT id AS item_key, 'payload' AS payload FROM effects WHERE id LIKE '" + queue.name() + "/fan-out/%'"));
        List<WorkItem> taken = queue.take(10, Duration.ofMinutes(1)).collectList().block();
        assertThat(taken).extracting(WorkItem::key).containsExactlyInAnyOrder(queue.name() + "/fan-out/a", queue.name() + "/fan-out/b");
        WorkItem first = taken.get(0);
        WorkItem second = taken.get(1);

        run(queue.dueAgain("again", first, Instant.now().minusSeconds(1)));
        run(queue.removeHeld("gone", second));
        WorkItem again = queue.take(10, Duration.ofMinutes(1)).single().block();
        assertThat(again.key()).isEqualTo(first.key());
        // The first lease is over: a late outcome of its holder changes nothing.
        run(queue.removeHeld("late", first));
        assertThat(queue.pendingCount().block()).isEqualTo(1);

        // Made due now: the held item is left to its holder, the removed one is back.
        run(queue.makeDueNow("now", "SELECT item_key, 'payload' AS payload FROM unnest(CAST(ARRAY['" + first.key() + "', '" + second.key()
                + "'] AS TEXT[])) AS item_key"));
        assertThat(queue.take(10, Duration.ofMinutes(1)).collectList().block()).extracting(WorkItem::key).containsExactly(second.key());
    }

    @Test
    void aWorkerWhoseWorkFinishesItsItemsLeavesThemToItAndRemovesNothingItself() {
        WorkQueue queue = new WorkQueue(database, "queue-" + UUID.randomUUID());
        add(queue, "recorded", Instant.now().minusSeconds(1));
        add(queue, "forgotten", Instant.now().minusSeconds(1));
        WorkQueueWorker worker = new WorkQueueWorker(queue, item -> {
            if (item.key().equals("recorded")) {
                // The work's own statement ends the item, as an outcome recorded with its next step does.
                SqlPart removed = queue.removeHeld("done", item);
                DatabaseClient.GenericExecuteSpec statement = database.sql(removed.sql());
                for (var binding : removed.bindings().entrySet()) {
                    statement = statement.bind(binding.getKey(), binding.getValue());
                }
                return statement.then();
            }
            return Mono.empty();
        }, new WorkQueueWorker.Settings(10, Duration.ofMillis(50), Duration.ofMinutes(1), Duration.ofMillis(100), Duration.ofSeconds(1), 3),
                new SimpleMeterRegistry()).finishedByWork();

        assertThat(worker.runDueItems().block()).isEqualTo(2);

        assertThat(queue.pendingCount().block()).as("work that did not finish its item leaves it held, until its lease ends").isEqualTo(1);
        assertThat(queue.take(10, Duration.ofMinutes(1)).collectList().block()).isEmpty();
    }

    @Test
    void itemsWhosePayloadTheTakerCannotStartNowAreLeftForLater() {
        WorkQueue queue = new WorkQueue(database, "queue-" + UUID.randomUUID());
        add(queue, "busy", Instant.now().minusSeconds(2));
        add(queue, "free", Instant.now().minusSeconds(1));

        assertThat(queue.take(10, Duration.ofMinutes(1), List.of("payload of busy")).collectList().block())
                .extracting(WorkItem::key).containsExactly("free");
        assertThat(queue.take(10, Duration.ofMinutes(1), List.of()).collectList().block()).extracting(WorkItem::key).containsExactly("busy");
    }

    @Test
    void aTakeCappedPerPayloadHandsOutAtMostThatManyItemsOfEachPayloadAndLeavesTheRestDue() {
        WorkQueue queue = new WorkQueue(database, "queue-" + UUID.randomUUID());
        for (int i = 0; i < 10; i++) {
            addWithPayload(queue, "busy-" + i, "endpoint A", Instant.now().minusSeconds(20 - i));
        }
        addWithPayload(queue, "other-0", "endpoint B", Instant.now().minusSeconds(5));
        addWithPayload(queue, "other-1", "endpoint B", Instant.now().minusSeconds(4));
        addWithPayload(queue, "other-2", "endpoint B", Instant.now().minusSeconds(3));

        List<WorkItem> first = queue.take(8, Duration.ofMinutes(1), List.of(), 2).collectList().block();

        assertThat(first).extracting(WorkItem::key).as("the two oldest of each payload")
                .containsExactlyInAnyOrder("busy-0", "busy-1", "other-0", "other-1");
        assertThat(queue.take(8, Duration.ofMinutes(1), List.of(), 2).collectList().block()).extracting(WorkItem::key)
                .as("the next two of each, the ones taken being leased").containsExactlyInAnyOrder("busy-2", "busy-3", "other-2");
        assertThat(queue.take(100, Duration.ofMinutes(1)).collectList().block()).as("the rest left due, untouched").hasSize(6)
                .allSatisfy(item -> assertThat(item.attempts()).isEqualTo(1));
    }

    @Test
    void aWorkerTakingAFewItemsOfAPayloadAtATimeRunsAllOfThemWithoutWaitingForItsPolls() {
        WorkQueue queue = new WorkQueue(database, "queue-" + UUID.randomUUID());
        List<String> keys = IntStream.range(0, 60).mapToObj(i -> "item-" + i).toList();
        keys.forEach(key -> addWithPayload(queue, key, "one endpoint", Instant.now().minusSeconds(1)));
        Set<String> done = ConcurrentHashMap.newKeySet();
        // Polls an hour apart: only the worker's own wake-ups can take the items after its first take.
        WorkQueueWorker worker = cappedWorkerPollingHourly(queue, item -> Mono.fromRunnable(() -> done.add(item.key())));
        worker.start();
        try {
            worker.wakeUp();
            await().atMost(Duration.ofSeconds(30)).until(() -> done.size() == keys.size());
        } finally {
            worker.stop();
        }
        assertThat(done).containsExactlyInAnyOrderElementsOf(keys);
        // Each item is removed by the worker just after its work ran: waited for, not read at once (CI saw 4 left).
        await().atMost(Duration.ofSeconds(10)).until(() -> queue.pendingCount().block() == 0L);
    }

    @Test
    void aBacklogOfOnePayloadAtTheHeadOfTheQueueDoesNotHideTheItemsOfOthersFromACappedWorker() {
        WorkQueue queue = new WorkQueue(database, "queue-" + UUID.randomUUID());
        for (int i = 0; i < 100; i++) {
            addWithPayload(queue, "a-" + i, "slow endpoint", Instant.now().minusSeconds(200 - i));
        }
        List.of("b-0", "b-1", "b-2").forEach(key -> addWithPayload(queue, key, "other endpoint", Instant.now().minusSeconds(1)));
        Sinks.Empty<Void> slowEndpointAnswers = Sinks.empty();
        Set<String> done = ConcurrentHashMap.newKeySet();
        // The slow endpoint's items never end during the test, and the polls are an hour apart: only a take that looks
        // past the slow endpoint's capped items reaches the others.
        WorkQueueWorker worker = cappedWorkerPollingHourly(queue,
                item -> item.key().startsWith("a-") ? slowEndpointAnswers.asMono() : Mono.fromRunnable(() -> done.add(item.key())));
        worker.start();
        try {
            worker.wakeUp();
            await().atMost(Duration.ofSeconds(20)).until(() -> done.size() == 3);
        } finally {
            slowEndpointAnswers.tryEmitEmpty();
            worker.stop();
        }
        assertThat(done).containsExactlyInAnyOrder("b-0", "b-1", "b-2");
    }

    /**
     * Joined to the leased keys, the take's UPDATE was planned as a hash join against a sequential scan of the
     * whole table, live rows and dead: 115-120 ms per take during a webhook drain with 5,000 items waiting.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"plain", "capped per payload"})
    void aTakeInALargeBacklogLooksUpTheItemsItLeasesByTheirKeyAndScansNoTable(String take) {
        String queue = "queue-" + UUID.randomUUID();
        database.sql("INSERT INTO work_items (queue, item_key, payload, due_at) SELECT :queue, 'item-' || n, 'endpoint ' || (n % 3),"
                + " now() - interval '1 minute' + n * interval '1 millisecond' FROM generate_series(1, 5000) AS n").bind("queue", queue).then().block();
        database.sql("ANALYZE work_items").then().block();

        boolean capped = take.equals("capped per payload");
        String plan = database.inConnectionMany(connection -> {
                    // The take's own statement, with its parameters bound as WorkQueue binds them, in a transaction rolled back.
                    var explain = connection.createStatement("EXPLAIN ANALYZE " + (capped ? WorkQueue.TAKE_CAPPED_PER_PAYLOAD : WorkQueue.TAKE)
                                    .replace(":queue", "$1").replace(":skipPayloads", "$2").replace(":limit", "$3").replace(":leaseSeconds", "$4")
                                    .replace(":token", "$5").replace(":scan", "$6").replace(":perPayload", "$7"))
                            .bind("$1", queue).bind("$2", new String[0]).bind("$3", 64).bind("$4", 60.0).bind("$5", "token");
                    if (capped) {
                        explain.bind("$6", 256).bind("$7", 8);
                    }
                    return Flux.from(connection.createStatement("BEGIN").execute()).flatMap(result -> result.getRowsUpdated())
                            .thenMany(Flux.from(explain.execute()))
                            .flatMap(result -> result.map((row, metadata) -> row.get(0, String.class)))
                            .concatWith(Flux.from(connection.createStatement("ROLLBACK").execute()).flatMap(result -> result.getRowsUpdated())
                                    .then(Mono.empty()));
                })
                .collect(Collectors.joining("\n")).block();

        assertThat(plan).as("the plan of the take").contains("work_items_pkey").doesNotContain("Seq Scan");
    }

    @Test
    void manyHeldItemsArePutBackOrRemovedInOneStatementEachOnlyWhileItsLeaseHolds() {
        WorkQueue queue = new WorkQueue(database, "queue-" + UUID.randomUUID());
        List.of("a", "b", "c", "d").forEach(key -> add(queue, key, Instant.now().minusSeconds(1)));
        Map<String, WorkItem> held = queue.take(10, Duration.ofMinutes(1)).collectMap(WorkItem::key).block();
        WorkItem stale = new WorkItem(queue.name(), "d", "", 1, "not-the-lease");

        SqlPart moved = queue.dueAgainAll("moved", List.of(held.get("a"), held.get("b")),
                List.of(Instant.now().minusSeconds(1), Instant.now().plusSeconds(60)));
        SqlPart removed = queue.removeHeldAll("removed", List.of(held.get("c"), stale));
        List<String> changed = run("WITH moved AS (" + moved.sql() + " RETURNING work_items.item_key), removed AS (" + removed.sql()
                + " RETURNING work_items.item_key) SELECT item_key FROM moved UNION ALL SELECT item_key FROM removed", moved, removed);

        assertThat(changed).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(queue.take(10, Duration.ofMinutes(1)).collectList().block()).extracting(WorkItem::key).containsExactly("a");
        assertThat(queue.pendingCount().block()).as("b waits, d is still leased, c is gone").isEqualTo(3);
    }

    private List<String> run(String sql, SqlPart... parts) {
        DatabaseClient.GenericExecuteSpec statement = database.sql(sql);
        for (SqlPart part : parts) {
            for (var binding : part.bindings().entrySet()) {
                statement = statement.bind(binding.getKey(), binding.getValue());
            }
        }
        return statement.map(row -> row.get("item_key", String.class)).all().collectList().block();
    }

    private void run(SqlPart part) {
        DatabaseClient.GenericExecuteSpec statement = database.sql(part.sql());
        for (var binding : part.bindings().entrySet()) {
            statement = statement.bind(binding.getKey(), binding.getValue());
        }
        statement.then().block();
    }

    private Set<String> failedKeys(WorkQueue queue) {
        return database.sql("SELECT item_key FROM work_items WHERE queue = :queue AND failed_at IS NOT NULL")
                .bind("queue", queue.name()).map(row -> row.get("item_key", String.class)).all().collect(Collectors.toSet()).block();
    }

    @Test
    void aTakeHandsOutItsItemsOnlyOnceTheirLeasesAreCommitted() {
        WorkQueue queue = new WorkQueue(database, "slow-commits");
        // Rows the size of a webhook delivery's (key and payload of 27 characters): 200 of them are 15 KiB, more than
        // PostgreSQL's output buffer (8 KiB), which it sends as soon as it fills, before the take commits.
        database.sql("INSERT INTO work_items (queue, item_key, payload, due_at) SELECT 'slow-commits', 'wd_' || lpad(to_hex(n), 24, '0'),"
                + " 'we_01a22f85ed434b38325bf5aa', now() - interval '1 second' FROM generate_series(1, 200) AS n").then().block();
        // The take's commit waits 1 s (a commit waiting for its WAL flush on a loaded machine, only longer).
        database.sql("""
                CREATE FUNCTION test_slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF current_setting('test.slept', true) IS DISTINCT FROM 'yes' THEN
                        PERFORM set_config('test.slept', 'yes', true);
                        PERFORM pg_sleep(1);
                    END IF;
                    RETURN NULL;
                END $$""").then().block();
        database.sql("""
                CREATE CONSTRAINT TRIGGER work_items_slow_commits AFTER UPDATE ON work_items DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW WHEN (NEW.queue = 'slow-commits') EXECUTE FUNCTION test_slow_commit()""").then().block();

        // What another connection sees of each of the first items at the moment the take hands it out.
        List<String> leasesSeen = queue.take(200, Duration.ofMinutes(1))
                .index()
                .concatMap(taken -> taken.getT1() >= 5 ? Mono.just(taken.getT2().leaseToken()) : database.sql(
                                "SELECT coalesce(lease_token, 'none') AS lease_token FROM work_items WHERE queue = 'slow-commits' AND item_key = :key")
                        .bind("key", taken.getT2().key()).map(row -> row.get("lease_token", String.class)).one())
                .collectList().block();
        List<String> left = queue.take(1, Duration.ofMinutes(1)).collectList().block().stream().map(WorkItem::leaseToken).toList();

        assertThat(left).as("all taken by the first take").isEmpty();
        assertThat(leasesSeen).hasSize(200).doesNotContain("none");
        assertThat(Set.copyOf(leasesSeen)).as("one take, one lease").hasSize(1);
    }

    /** 16 slots, at most 4 items of one payload per take, polls an hour apart: only its own wake-ups take items after the first. */
    private static WorkQueueWorker cappedWorkerPollingHourly(WorkQueue queue, Function<WorkItem, Mono<Void>> work) {
        return new WorkQueueWorker(queue, work,
                new WorkQueueWorker.Settings(16, Duration.ofHours(1), Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofMinutes(1), 3)
                        .withConcurrency(16), new SimpleMeterRegistry())
                .takingAtMostPerPayload(4);
    }

    private void add(WorkQueue queue, String key, Instant dueAt) {
        addWithPayload(queue, key, "payload of " + key, dueAt);
    }

    private void addWithPayload(WorkQueue queue, String key, String payload, Instant dueAt) {
        AppendStatement append = new AppendStatement(database, "cause")
                .rows("cause", TableRows.into("effects", "id").row(queue.name() + "/" + key + "/cause"));
        queue.add(append, "work", key, payload, dueAt);
        append.execute().block();
    }
}
