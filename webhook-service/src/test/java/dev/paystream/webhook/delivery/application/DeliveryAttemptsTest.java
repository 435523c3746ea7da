package dev.paystream.webhook.delivery.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.paystream.platform.workqueue.WorkItem;
import dev.paystream.webhook.delivery.adapter.r2dbc.R2dbcDeliveries;
import dev.paystream.webhook.delivery.domain.AttemptResult;
import dev.paystream.webhook.delivery.domain.RetrySchedule;
import dev.paystream.webhook.endpoint.SecretSealer;
import dev.paystream.webhook.support.WebhookDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * Every way out of an attempt finishes its item, and only one statement does: the outcome's, the drop of an
 * item whose delivery is gone or over, the deferral of a busy endpoint's. An attempt that cannot go on (no
 * result from the sender) fails, so that the worker puts its item back; none ends leaving the item to wait
 * for its lease, nor removes it while its delivery is pending.
 *
 * <p>On the real {@link R2dbcDeliveries} and a database of this class's own (no Spring context: the
 * service's context runs a worker on the same queue, which would take these items). Each test starts with
 * an empty queue and takes its item the way the worker does. The senders stand for the receiver's answer.
 * The statements that delete from {@code work_items} are counted by a statement-level trigger: a DELETE
 * after an attempt whose own statement finished the item changes no row, so only the count shows it.
 */
class DeliveryAttemptsTest {

    private static final String SECRET = "whsec_d+xwBfVGJGIUXhNrBzRJfFz34VrmAb1v";
    /** The advisory lock an uncommitted take holds, which the DELETEs on work_items wait for (see the drain test below). */
    private static final long TAKE_NOT_COMMITTED = 4_242_001;

    private static DatabaseClient database;
    private static final SecretSealer sealer = new SecretSealer(SecretSealer.newKey());

    private final EndpointGates gates = new EndpointGates(new EndpointGates.Settings(1, 50, 1000, 1000, Duration.ofSeconds(30)));
    private R2dbcDeliveries deliveries;

    @BeforeAll
    static void migratedDatabase() {
        database = WebhookDatabases.migrated("webhook_attempts");
        database.sql("""
                CREATE TABLE work_item_delete_statements (n BIGSERIAL PRIMARY KEY);
                CREATE FUNCTION count_work_item_deletes() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_advisory_xact_lock(%d);
                    INSERT INTO work_item_delete_statements DEFAULT VALUES;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER count_work_item_deletes BEFORE DELETE ON work_items FOR EACH STATEMENT EXECUTE FUNCTION count_work_item_deletes();
                """.formatted(TAKE_NOT_COMMITTED)).then().block();
    }

    @BeforeEach
    void emptyQueue() {
        database.sql("DELETE FROM work_items").then().block();
        database.sql("DELETE FROM work_item_delete_statements").then().block();
        deliveries = new R2dbcDeliveries(database, sealer);
    }

    private DeliveryAttempts attempts(Sender sender) {
        return new DeliveryAttempts(deliveries, sender, gates, new RetrySchedule(List.of(Duration.ofSeconds(5))), Duration.ofMinutes(1),
                Clock.systemUTC(), new SimpleMeterRegistry());
    }

    @Test
    void aRecordedAttemptIsItsOnlyStatementAndNoDeleteFollowsIt() {
        String deliveryId = pendingDelivery(newEndpoint());
        WorkItem item = take();

        attempts((url, headers, body) -> Mono.just(AttemptResult.answered(200, 3, "ok"))).attempt(item).block();

        assertThat(status(deliveryId)).isEqualTo("delivered");
        assertThat(attemptsOf(deliveryId)).containsExactly("200 ok");
        assertThat(itemOf(deliveryId)).as("the item, finished by the outcome's statement").isNull();
        assertThat(deleteStatements()).as("DELETE statements on work_items: the outcome's only").isEqualTo(1);
    }

    /**
     * The drain of 2026-12-01: the worker started the attempt while its take was not committed yet, so the
     * outcome's statement (fenced by the lease) did not see the lease and recorded nothing. The take commits
     * while that statement runs (it waits for the take's advisory lock, and its snapshot is older than the
     * commit); a DELETE after the attempt would then find the lease and remove the item of a pending delivery.
     */
    @Test
    void anAttemptWhoseOutcomeWasNotRecordedLeavesTheItemToWhoeverHoldsItNow() throws Exception {
        String endpointId = newEndpoint();
        String deliveryId = pendingDelivery(endpointId);
        Connection take = Mono.from(database.getConnectionFactory().create()).block();
        try {
            Mono.from(take.beginTransaction()).block();
            execute(take, "SELECT pg_advisory_xact_lock(" + TAKE_NOT_COMMITTED + ")");
            execute(take, "UPDATE work_items SET lease_token = 'token-not-committed', due_at = now() + interval '10 minutes', attempts = attempts + 1"
                    + " WHERE queue = '" + R2dbcDeliveries.QUEUE + "' AND item_key = '" + deliveryId + "'");
            WorkItem item = new WorkItem(R2dbcDeliveries.QUEUE, deliveryId, endpointId, 1, "token-not-committed");

            CompletableFuture<Void> attempt = attempts((url, headers, body) -> Mono.just(AttemptResult.answered(200, 3, "ok"))).attempt(item).toFuture();
            await().atMost(Duration.ofSeconds(10)).until(() -> database.sql(
                            "SELECT count(*) AS waiting FROM pg_locks WHERE locktype = 'advisory' AND objid = " + TAKE_NOT_COMMITTED + " AND NOT granted")
                    .map(row -> row.get("waiting", Long.class)).one().block() > 0);
            Mono.from(take.commitTransaction()).block();
            attempt.get();
        } finally {
            Mono.from(take.close()).block();
        }

        assertThat(status(deliveryId)).isEqualTo("pending");
        assertThat(attemptsOf(deliveryId)).as("the outcome was not recorded").isEmpty();
        assertThat(itemOf(deliveryId)).as("the item, held by the lease the take committed, comes back when the lease ends")
                .containsEntry("lease_token", "token-not-committed");
    }

    @Test
    void aSenderThatGivesNoResultFailsTheAttemptSoThatTheWorkerPutsTheItemBackAndTheEndpointsSlotIsFree() {
        String endpointId = newEndpoint();
        String deliveryId = pendingDelivery(endpointId);
        WorkItem item = take();
        DeliveryAttempts attempts = attempts((url, headers, body) -> Mono.empty());

        assertThatThrownBy(() -> attempts.attempt(item).block()).hasMessageContaining("gave no result");

        assertThat(status(deliveryId)).isEqualTo("pending");
        assertThat(attemptsOf(deliveryId)).isEmpty();
        assertThat(itemOf(deliveryId)).as("the item, still held: the worker puts it back on the error")
                .containsEntry("lease_token", item.leaseToken());
        assertThat(gates.enter(endpointId)).as("the pass was given back").isInstanceOf(EndpointGates.Pass.class);
    }

    @Test
    void anItemWhoseDeliveryIsNotThereIsDroppedAndOneWhoseDeliveryIsOverToo() {
        String endpointId = newEndpoint();
        String missing = "wd_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        database.sql("INSERT INTO work_items (queue, item_key, payload, due_at) VALUES (:queue, :key, :endpointId, now())")
                .bind("queue", R2dbcDeliveries.QUEUE).bind("key", missing).bind("endpointId", endpointId).then().block();
        attempts((url, headers, body) -> Mono.error(new AssertionError("not sent"))).attempt(take()).block();
        String delivered = pendingDelivery(endpointId);
        database.sql("UPDATE webhook_deliveries SET status = 'delivered', round_attempts = 1, attempts_total = 1 WHERE id = :id")
                .bind("id", delivered).then().block();
        attempts((url, headers, body) -> Mono.error(new AssertionError("not sent"))).attempt(take()).block();

        assertThat(itemOf(missing)).isNull();
        assertThat(itemOf(delivered)).isNull();
        assertThat(status(delivered)).isEqualTo("delivered");
        assertThat(attemptsOf(delivered)).isEmpty();
        assertThat(deleteStatements()).as("one drop each").isEqualTo(2);
    }

    @Test
    void aBusyEndpointsAttemptIsDeferredAndNotDroppedAfterwards() {
        String endpointId = newEndpoint();
        String deliveryId = pendingDelivery(endpointId);
        WorkItem item = take();
        EndpointGates.Entry held = gates.enter(endpointId);
        assertThat(held).isInstanceOf(EndpointGates.Pass.class);

        attempts((url, headers, body) -> Mono.error(new AssertionError("not sent"))).attempt(item).block();

        assertThat(status(deliveryId)).isEqualTo("pending");
        assertThat(attemptsOf(deliveryId)).isEmpty();
        Map<String, Object> deferred = itemOf(deliveryId);
        assertThat(deferred).as("the item, back on the queue").isNotNull().containsEntry("lease_token", null);
        assertThat(((OffsetDateTime) deferred.get("due_at")).toInstant()).as("due after the busy wait (1 min)")
                .isAfter(Instant.now().plusSeconds(30));
        assertThat(deleteStatements()).as("DELETE statements on work_items").isZero();
    }

    /** A new live endpoint whose signing secret is sealed as the service seals it; its id. */
    private static String newEndpoint() {
        String endpointId = "we_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        database.sql("INSERT INTO webhook_endpoints (id, merchant_id, url, event_types, secret_sealed, created_at, updated_at)"
                        + " VALUES (:id, 'mer_attempts', 'http://127.0.0.1:1/hooks', ARRAY['payment.captured'], :sealed, now(), now())")
                .bind("id", endpointId).bind("sealed", sealer.seal(endpointId, SECRET)).then().block();
        return endpointId;
    }

    /** A pending delivery of a new event to {@code endpointId}, with its item due now; its id. */
    private static String pendingDelivery(String endpointId) {
        String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        return database.sql("""
                        WITH event AS (
                            INSERT INTO webhook_events (id, merchant_id, type, body, occurred_at)
                            VALUES (:eventId, 'mer_attempts', 'payment.captured', '{"id":"' || :eventId || '"}', now())
                            RETURNING id),
                        delivery AS (
                            INSERT INTO webhook_deliveries (id, merchant_id, event_id, endpoint_id, event_type, status, next_attempt_at, created_at, updated_at)
                            SELECT webhook_delivery_id(), 'mer_attempts', event.id, :endpointId, 'payment.captured', 'pending', now(), now(), now() FROM event
                            RETURNING id),
                        work AS (
                            INSERT INTO work_items (queue, item_key, payload, due_at) SELECT :queue, delivery.id, :endpointId, now() FROM delivery)
                        SELECT id FROM delivery""")
                .bind("eventId", eventId).bind("endpointId", endpointId).bind("queue", R2dbcDeliveries.QUEUE)
                .map(row -> row.get("id", String.class)).one().block();
    }

    /** The one due item, taken as the worker takes it. */
    private WorkItem take() {
        List<WorkItem> taken = deliveries.queue().take(10, Duration.ofMinutes(10)).collectList().block();
        assertThat(taken).hasSize(1);
        return taken.get(0);
    }

    private static String status(String deliveryId) {
        return database.sql("SELECT status FROM webhook_deliveries WHERE id = :id").bind("id", deliveryId)
                .map(row -> row.get("status", String.class)).one().block();
    }

    /** The delivery's recorded attempts, as "status body". */
    private static List<String> attemptsOf(String deliveryId) {
        return database.sql("SELECT status_code, response_body FROM webhook_attempts WHERE delivery_id = :id ORDER BY attempt_no")
                .bind("id", deliveryId)
                .map(row -> row.get("status_code", Integer.class) + " " + row.get("response_body", String.class)).all().collectList().block();
    }

    /** The delivery's work item (its lease token and due time), or null when there is none. */
    private static Map<String, Object> itemOf(String deliveryId) {
        return database.sql("SELECT lease_token, due_at FROM work_items WHERE queue = :queue AND item_key = :key")
                .bind("queue", R2dbcDeliveries.QUEUE).bind("key", deliveryId).fetch().one().block();
    }

    private static long deleteStatements() {
        return database.sql("SELECT count(*) AS statements FROM work_item_delete_statements").map(row -> row.get("statements", Long.class)).one().block();
    }

    private static void execute(Connection connection, String sql) {
        Mono.from(connection.createStatement(sql).execute()).flatMap(result -> Mono.from(result.getRowsUpdated())).block();
    }
}
