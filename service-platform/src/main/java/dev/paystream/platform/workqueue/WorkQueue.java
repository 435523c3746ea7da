package dev.paystream.platform.workqueue;

import dev.paystream.platform.store.AppendStatement;
import dev.paystream.platform.store.SqlPart;
import dev.paystream.platform.store.TableRows;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One queue of the {@code work_items} table: delayed work that survives restarts and runs on one
 * instance at a time, used by asynchronous payment completions (and next by webhook attempts, payout
 * completions and the settlement schedule).
 *
 * <p>Items are added and finished as parts of the append that causes or completes them
 * ({@link #add}, {@link #finish}), so that work exists exactly when its cause committed and is gone
 * exactly when its effect committed. {@link #take} leases due items with {@code FOR UPDATE SKIP
 * LOCKED}: concurrent workers, on one instance or several, never take the same item, and the lease
 * (moving {@code due_at} forward) makes an item whose worker died due again once it ends. A take hands
 * out its items only once its leases are committed, so that the work's statements fenced by the lease
 * ({@link #dueAgain}, {@link #removeHeld}, ...) always find them.
 */
public final class WorkQueue {

    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * The leased rows are updated through {@code item_key = ANY(ARRAY(...))}, a lookup of each by the primary
     * key: joined ({@code FROM due}), the planner expects {@code :limit} rows and hashes them against a
     * sequential scan of the whole table, live and dead rows — a take of 8 items in a backlog of 5,000 took
     * 115-120 ms during a webhook drain (EXPLAIN ANALYZE: 1.9 ms vs 0.35 ms on a freshly vacuumed table).
     */
    static final String TAKE = """
            WITH due AS (
                SELECT item_key FROM work_items
                WHERE queue = :queue AND due_at <= now() AND failed_at IS NULL AND payload <> ALL(CAST(:skipPayloads AS TEXT[]))
                ORDER BY due_at LIMIT :limit FOR UPDATE SKIP LOCKED)
            UPDATE work_items item SET due_at = now() + make_interval(secs => :leaseSeconds), attempts = item.attempts + 1,
                lease_token = :token
            WHERE item.queue = :queue AND item.item_key = ANY(ARRAY(SELECT item_key FROM due))
            RETURNING item.item_key, item.payload, item.attempts""";
    /**
     * {@link #TAKE} with at most {@code :perPayload} items of one payload: the due items at the head of
     * the queue ({@code :scan} of them, read without locks) are ranked per payload, and those within the
     * cap are then locked one by one by their primary key, skipping the ones another taker holds (the
     * lock's recheck of {@code due_at} leaves out what a concurrent take leased meanwhile).
     */
    static final String TAKE_CAPPED_PER_PAYLOAD = """
            WITH head AS (
                SELECT item_key, payload, due_at FROM work_items
                WHERE queue = :queue AND due_at <= now() AND failed_at IS NULL AND payload <> ALL(CAST(:skipPayloads AS TEXT[]))
                ORDER BY due_at LIMIT :scan),
            within_cap AS (
                SELECT item_key, due_at FROM (SELECT item_key, due_at, row_number() OVER (PARTITION BY payload ORDER BY due_at) AS nth FROM head)
                    AS ranked
                WHERE nth <= :perPayload ORDER BY due_at LIMIT :limit),
            due AS (
                SELECT locked.item_key FROM within_cap, LATERAL (
                    SELECT item_key FROM work_items
                    WHERE queue = :queue AND item_key = within_cap.item_key AND due_at <= now() AND failed_at IS NULL
                    FOR UPDATE SKIP LOCKED) AS locked)
            UPDATE work_items item SET due_at = now() + make_interval(secs => :leaseSeconds), attempts = item.attempts + 1,
                lease_token = :token
            WHERE item.queue = :queue AND item.item_key = ANY(ARRAY(SELECT item_key FROM due))
            RETURNING item.item_key, item.payload, item.attempts""";
    /**
     * How many due items a capped take looks at per item it may take: enough that a take finds work for
     * several payloads, few enough that a backlog of one payload costs a short index range, not all of it.
     */
    private static final int SCAN_PER_TAKEN = 4;

    private final DatabaseClient database;
    private final String queue;
    /** The takes' own transactions (see {@link #take(int, Duration, Collection)}). */
    private final TransactionalOperator takes;

    public WorkQueue(DatabaseClient database, String queue) {
        this.database = database;
        this.queue = queue;
        this.takes = TransactionalOperator.create(new R2dbcTransactionManager(database.getConnectionFactory()));
    }

    public String name() {
        return queue;
    }

    /** Adds the item to {@code append}: due at {@code dueAt}, written only with the append. */
    public void add(AppendStatement append, String partName, String key, String payload, Instant dueAt) {
        append.rows(partName, TableRows.into("work_items", "queue", "item_key", "payload", "due_at")
                .row(queue, key, payload, dueAt)
                // The same work added twice (a retried append) is one item.
                .onConflict("ON CONFLICT (queue, item_key) DO NOTHING"));
    }

    /** Finishes the item as a part of {@code append}: it is gone exactly when the append's effect is there. */
    public void finish(AppendStatement append, String partName, String key) {
        append.part(partName, SqlPart.of("DELETE FROM work_items WHERE queue = :" + partName + "_queue AND item_key = :" + partName
                + "_key AND " + AppendStatement.FENCED, Map.of(partName + "_queue", Parameter.from(queue), partName + "_key", Parameter.from(key))));
    }

    /**
     * A part of a data-modifying {@code WITH} that adds one item, due at once, per row of {@code select}
     * (a query naming the new items' keys {@code item_key} and payloads {@code payload}, typically the
     * {@code RETURNING} of an earlier part that inserted their causes): for a statement that makes its
     * work itself, such as a fan-out whose rows are chosen by a join. Items that exist already are left
     * as they are.
     */
    public SqlPart addEach(String partName, String select) {
        return addEach(partName, select, Duration.ZERO);
    }

    /**
     * {@link #addEach(String, String)} with the new items due after {@code delay}: for work done at once by
     * the one who adds it, which the queue is to take up only should that one stop before finishing it (and
     * {@link #postpone} while it goes on).
     */
    public SqlPart addEach(String partName, String select, Duration delay) {
        return SqlPart.of("INSERT INTO work_items (queue, item_key, payload, due_at) SELECT :" + partName
                + "_queue, added.item_key, added.payload, now() + make_interval(secs => :" + partName + "_delay) FROM (" + select
                + ") AS added ON CONFLICT (queue, item_key) DO NOTHING",
                Map.of(partName + "_queue", Parameter.from(queue), partName + "_delay", Parameter.from(delay.toMillis() / 1000.0)));
    }

    /**
     * A part of an append that makes the item {@code key} due only after {@code delay} from now, whoever
     * holds it: the heartbeat of long work done in steps, each step telling the queue it is still going, so
     * that the queue gives the item to a worker only once the steps stop for {@code delay}.
     */
    public SqlPart postpone(String partName, String key, Duration delay) {
        return SqlPart.of("UPDATE work_items SET due_at = now() + make_interval(secs => :" + partName + "_delay) WHERE queue = :" + partName
                        + "_queue AND item_key = :" + partName + "_key AND " + AppendStatement.FENCED,
                Map.of(partName + "_delay", Parameter.from(delay.toMillis() / 1000.0), partName + "_queue", Parameter.from(queue),
                        partName + "_key", Parameter.from(key)));
    }

    /**
     * Adds the item due at {@code dueAt} on its own, not as a part of an append: for work whose cause is
     * the passing of time (a schedule's next occurrence). Emits whether it was added; an item with the key
     * exists already when not.
     */
    public Mono<Boolean> schedule(String key, String payload, Instant dueAt) {
        return database.sql("INSERT INTO work_items (queue, item_key, payload, due_at) VALUES (:queue, :key, :payload, :dueAt)"
                        + " ON CONFLICT (queue, item_key) DO NOTHING")
                .bind("queue", queue).bind("key", key).bind("payload", payload).bind("dueAt", dueAt)
                .fetch().rowsUpdated()
                .map(added -> added > 0);
    }

    /**
     * A part that makes the items of {@code select} (keys as {@code item_key}, payloads as {@code payload})
     * due now: adds the missing ones, and moves up the ones waiting, also those given up on; an item a
     * worker holds right now (its lease not over) is left to that worker.
     */
    public SqlPart makeDueNow(String partName, String select) {
        return SqlPart.of("INSERT INTO work_items (queue, item_key, payload, due_at) SELECT :" + partName + "_queue, due.item_key, due.payload, now() FROM ("
                + select + ") AS due ON CONFLICT (queue, item_key) DO UPDATE SET due_at = now(), failed_at = NULL, lease_token = NULL"
                + " WHERE work_items.lease_token IS NULL OR work_items.due_at <= now() OR work_items.failed_at IS NOT NULL",
                Map.of(partName + "_queue", Parameter.from(queue)));
    }

    /**
     * A part that puts back an item the worker holds, due at {@code dueAt}, ending the lease: for work
     * that records its outcome and its next time in one statement. It changes the item only while the
     * lease is still {@code item}'s, so a worker whose lease ran out cannot move an item another now holds.
     */
    public SqlPart dueAgain(String partName, WorkItem item, Instant dueAt) {
        return SqlPart.of("UPDATE work_items SET due_at = :" + partName + "_due, lease_token = NULL WHERE queue = :" + partName
                + "_queue AND item_key = :" + partName + "_key AND lease_token = :" + partName + "_token",
                Map.of(partName + "_due", Parameter.from(dueAt), partName + "_queue", Parameter.from(queue),
                        partName + "_key", Parameter.from(item.key()), partName + "_token", Parameter.from(item.leaseToken())));
    }

    /** A part that removes an item the worker holds, only while the lease is still {@code item}'s (see {@link #dueAgain}). */
    public SqlPart removeHeld(String partName, WorkItem item) {
        return SqlPart.of("DELETE FROM work_items WHERE queue = :" + partName + "_queue AND item_key = :" + partName + "_key AND lease_token = :"
                + partName + "_token", Map.of(partName + "_queue", Parameter.from(queue), partName + "_key", Parameter.from(item.key()),
                partName + "_token", Parameter.from(item.leaseToken())));
    }

    /**
     * {@link #dueAgain} for many held items in one part: each of {@code items} is due again at the
     * instant of the same index in {@code dueAts}, only while its lease is still the item's. Its
     * {@code RETURNING} may name {@code item_key}: the items it moved.
     */
    public SqlPart dueAgainAll(String partName, List<WorkItem> items, List<Instant> dueAts) {
        if (items.size() != dueAts.size()) {
            throw new IllegalArgumentException("one due time per item");
        }
        return SqlPart.of("UPDATE work_items SET due_at = held.due_at, lease_token = NULL FROM unnest(CAST(:" + partName + "_keys AS TEXT[]), CAST(:"
                        + partName + "_tokens AS TEXT[]), CAST(CAST(:" + partName + "_dues AS TEXT[]) AS TIMESTAMPTZ[])) AS held (item_key, lease_token, due_at)"
                        + " WHERE work_items.queue = :" + partName + "_queue AND work_items.item_key = held.item_key"
                        + " AND work_items.lease_token = held.lease_token",
                Map.of(partName + "_keys", Parameter.from(items.stream().map(WorkItem::key).toArray(String[]::new)),
                        partName + "_tokens", Parameter.from(items.stream().map(WorkItem::leaseToken).toArray(String[]::new)),
                        partName + "_dues", Parameter.from(dueAts.stream().map(Instant::toString).toArray(String[]::new)),
                        partName + "_queue", Parameter.from(queue)));
    }

    /**
     * {@link #removeHeld} for many held items in one part. Its {@code RETURNING} may name {@code item_key}:
     * the items it removed.
     */
    public SqlPart removeHeldAll(String partName, List<WorkItem> items) {
        return SqlPart.of("DELETE FROM work_items USING unnest(CAST(:" + partName + "_keys AS TEXT[]), CAST(:" + partName
                        + "_tokens AS TEXT[])) AS held (item_key, lease_token) WHERE work_items.queue = :" + partName
                        + "_queue AND work_items.item_key = held.item_key AND work_items.lease_token = held.lease_token",
                Map.of(partName + "_keys", Parameter.from(items.stream().map(WorkItem::key).toArray(String[]::new)),
                        partName + "_tokens", Parameter.from(items.stream().map(WorkItem::leaseToken).toArray(String[]::new)),
                        partName + "_queue", Parameter.from(queue)));
    }

    /** Leases up to {@code limit} due items for {@code lease}; another worker cannot take them meanwhile. */
    public Flux<WorkItem> take(int limit, Duration lease) {
        return take(limit, lease, List.of());
    }

    /**
     * As {@link #take(int, Duration)}, leaving the items whose payload is one of {@code skipPayloads} where
     * they are: work the taker cannot start now (say, for a receiver that has all the attempts it may have).
     */
    public Flux<WorkItem> take(int limit, Duration lease, Collection<String> skipPayloads) {
        return take(limit, lease, skipPayloads, limit);
    }

    /**
     * As {@link #take(int, Duration, Collection)}, with at most {@code perPayloadMax} items of any one payload:
     * for a taker that can start only so many items of one payload now (a receiver's free places), so that it
     * does not take items only to put them back.
     */
    public Flux<WorkItem> take(int limit, Duration lease, Collection<String> skipPayloads, int perPayloadMax) {
        if (perPayloadMax < 1) {
            throw new IllegalArgumentException("perPayloadMax must be at least 1");
        }
        return Flux.defer(() -> {
            String token = newToken();
            boolean capped = perPayloadMax < limit;
            DatabaseClient.GenericExecuteSpec statement = database.sql(capped ? TAKE_CAPPED_PER_PAYLOAD : TAKE);
            if (capped) {
                statement = statement.bind("scan", limit * SCAN_PER_TAKEN).bind("perPayload", perPayloadMax);
            }
            Flux<WorkItem> taken = statement
                    .bind("queue", queue)
                    .bind("skipPayloads", skipPayloads.toArray(String[]::new))
                    .bind("limit", limit)
                    .bind("leaseSeconds", lease.toMillis() / 1000.0)
                    .bind("token", token)
                    .map(row -> new WorkItem(queue, row.get("item_key", String.class), row.get("payload", String.class),
                            row.get("attempts", Integer.class), token))
                    .all();
            // The items are handed out only once the take committed, never as their rows arrive: PostgreSQL sends a
            // result's first rows as soon as its output buffer (8 KiB, some 110 items) fills, before the statement
            // commits, and every statement of the work fenced by the lease (WHERE lease_token = the new token) reads
            // the rows as they were before the take until it commits: it would find the item not held, and do nothing.
            // Hence a transaction of its own, whose COMMIT has answered when the list is emitted.
            return takes.execute(status -> taken).collectList().flatMapIterable(items -> items);
        });
    }

    /** Removes an item the worker holds once its work is done (a no-op when its effect removed it already). */
    public Mono<Void> done(WorkItem item) {
        return database.sql("DELETE FROM work_items WHERE queue = :queue AND item_key = :key AND lease_token = :token")
                .bind("queue", queue).bind("key", item.key()).bind("token", item.leaseToken())
                .then();
    }

    /** Puts an item the worker holds back, due again after {@code delay}, with the error that stopped it. */
    public Mono<Void> retryLater(WorkItem item, Duration delay, String error) {
        return database.sql("""
                        UPDATE work_items SET due_at = now() + make_interval(secs => :delaySeconds), last_error = :error
                        WHERE queue = :queue AND item_key = :key AND lease_token = :token""")
                .bind("delaySeconds", delay.toMillis() / 1000.0).bind("error", error)
                .bind("queue", queue).bind("key", item.key()).bind("token", item.leaseToken())
                .then();
    }

    /** Gives up on an item the worker holds: it stays, with its error, for an operator, and is never due again. */
    public Mono<Void> fail(WorkItem item, String error) {
        return database.sql("""
                        UPDATE work_items SET failed_at = now(), last_error = :error
                        WHERE queue = :queue AND item_key = :key AND lease_token = :token""")
                .bind("error", error).bind("queue", queue).bind("key", item.key()).bind("token", item.leaseToken())
                .then();
    }

    /** Items waiting (due or not, not failed), for metrics. */
    public Mono<Long> pendingCount() {
        return database.sql("SELECT count(*) AS pending FROM work_items WHERE queue = :queue AND failed_at IS NULL")
                .bind("queue", queue)
                .map(row -> row.get("pending", Long.class))
                .one();
    }

    private static String newToken() {
        byte[] token = new byte[12];
        RANDOM.nextBytes(token);
        return HexFormat.of().formatHex(token);
    }
}
