package dev.paystream.webhook.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.platform.workqueue.WorkQueueWorker;
import dev.paystream.webhook.config.WebhookConfiguration;
import dev.paystream.testsupport.TestPostgres;
import dev.paystream.webhook.delivery.adapter.http.NettySender;
import dev.paystream.webhook.delivery.adapter.r2dbc.R2dbcDeliveries;
import dev.paystream.webhook.delivery.application.DeliveryAttempts;
import dev.paystream.webhook.delivery.application.EndpointGates;
import dev.paystream.webhook.delivery.domain.RetrySchedule;
import dev.paystream.webhook.destination.TargetPolicy;
import dev.paystream.webhook.endpoint.SecretSealer;
import dev.paystream.webhook.endpoint.SecretsAtRest;
import dev.paystream.webhook.support.Receiver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * A drain, the way a webhook-service resumed after a pause sends its backlog: thousands of deliveries due
 * at once to one endpoint answering 200, on a database of the test's own, with the worker wired as
 * {@code WebhookConfiguration} wires it (the settings of the bench's runs and the defaults). Each
 * delivery must end delivered, sent once, and no pending delivery may be left without its item.
 *
 * <p>The commits of the worker's first takes are made slow (see {@link #slowTakeCommits}): PostgreSQL sends
 * a take's first rows as soon as its 8 KiB output buffer fills (a take of 128 items is about 9.5 KiB), before
 * the take committed. A worker that started their attempts then found their leases not yet there: the
 * attempt's outcome was not recorded, and the DELETE that ran after every attempt removed the item once the
 * take had committed, leaving the delivery pending with nothing to send it (bench of 2026-12-01, 02:53).
 */
class DrainIntegrationTest {

    /**
     * The loss needs takes larger than PostgreSQL's 8 KiB output buffer (~110 items): 3,000 deliveries at
     * 128 slots, spread over 8 endpoints, since a take brings at most 16 of one endpoint's items in that
     * setting (no line: a quarter of its 64 slots); the defaults' case, one endpoint, guards against a
     * regression with fewer and checks that few attempts are taken only to be put back (47 of 500 before the
     * takes were capped per endpoint).
     */
    @ParameterizedTest(name = "concurrency {0}, per endpoint {1}, waiting {2}, {3} deliveries to {4} endpoints")
    @CsvSource({"128, 64, 64, 3000, 8, 1.0", "128, 16, 48, 500, 1, 0.05"})
    void everyDeliveryOfALargeBacklogIsDeliveredOnceEvenWhenTheTakesCommitSlowly(int concurrency, int perEndpoint, int waitingPerEndpoint,
                                                                                 int count, int endpoints, double putBackShareMax) {
        TestPostgres.Database created = TestPostgres.createDatabase("webhook_drain");
        Flyway.configure().dataSource(created.jdbcUrl(), created.user(), created.password())
                .locations("classpath:db/platform", "classpath:db/migration/webhook").load().migrate();
        // A pool, like the service's: the attempts' statements run on 20 connections.
        var connections = ConnectionFactories.get(ConnectionFactoryOptions.parse(created.r2dbcUrl().replace("r2dbc:postgresql:", "r2dbc:pool:postgresql:")
                        + "?maxSize=20&initialSize=4").mutate()
                .option(ConnectionFactoryOptions.USER, created.user())
                .option(ConnectionFactoryOptions.PASSWORD, created.password())
                .build());
        DatabaseClient database = DatabaseClient.create(connections);
        try (Receiver receiver = Receiver.ok();
             NettySender sender = new NettySender(TargetPolicy.withSystemResolver(true), Duration.ofSeconds(15), concurrency)) {
            database.sql("INSERT INTO webhook_endpoints (id, merchant_id, url, event_types, secret, created_at, updated_at)"
                            + " SELECT 'we_01a22f85ed434b38325bf5' || lpad(to_hex(e), 2, '0'), 'mer_drain', :url, ARRAY['payment.captured'],"
                            + " 'whsec_d+xwBfVGJGIUXhNrBzRJfFz34VrmAb1v', now(), now() FROM generate_series(1, :endpoints) AS e")
                    .bind("url", receiver.url("/hooks")).bind("endpoints", endpoints).then().block();
            SecretSealer sealer = SecretsAtRest.prepare(database, null).block();
            database.sql("""
                            WITH event AS (
                                INSERT INTO webhook_events (id, merchant_id, type, body, occurred_at)
                                SELECT 'evt_drain_' || n, 'mer_drain', 'payment.captured', '{"id":"evt_drain_' || n || '"}', now()
                                FROM generate_series(1, :count) AS n
                                RETURNING id),
                            delivery AS (
                                INSERT INTO webhook_deliveries (id, merchant_id, event_id, endpoint_id, event_type, status, next_attempt_at,
                                                                created_at, updated_at)
                                SELECT webhook_delivery_id(), 'mer_drain', event.id,
                                       'we_01a22f85ed434b38325bf5' || lpad(to_hex(1 + (row_number() OVER ()) % :endpoints), 2, '0'),
                                       'payment.captured', 'pending', now(), now(), now()
                                FROM event
                                RETURNING id, endpoint_id)
                            INSERT INTO work_items (queue, item_key, payload, due_at)
                            SELECT :queue, delivery.id, delivery.endpoint_id, now() FROM delivery""")
                    .bind("count", count).bind("endpoints", endpoints).bind("queue", R2dbcDeliveries.QUEUE).then().block();
            slowTakeCommits(database);

            // Made as the service makes them (the circuit breaker out of the way: a drain to a healthy receiver).
            EndpointGates gates = WebhookConfiguration.newEndpointGates(concurrency, perEndpoint, 50, 1000, 1000, Duration.ofSeconds(30),
                    waitingPerEndpoint, Duration.ofSeconds(10));
            R2dbcDeliveries deliveries = new R2dbcDeliveries(database, sealer);
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            DeliveryAttempts attempts = new DeliveryAttempts(deliveries, sender, gates, new RetrySchedule(List.of(Duration.ofSeconds(5))),
                    Duration.ofMillis(250), Clock.systemUTC(), meters);
            WorkQueueWorker worker = WebhookConfiguration.newAttemptsWorker(deliveries, attempts, gates, concurrency, Duration.ofMillis(200),
                    Duration.ofMinutes(10), meters);

            worker.start();
            try {
                // Until all are delivered, or nothing moved for 15 s: the lease (10 min) keeps an item whose attempt was
                // not recorded from coming back within the test, so that a stuck delivery shows, and a second send too.
                long left = pendingDeliveries(database);
                Instant lastMove = Instant.now();
                while (left > 0 && Instant.now().isBefore(lastMove.plusSeconds(15))) {
                    sleep(250);
                    long now = pendingDeliveries(database);
                    if (now < left) {
                        left = now;
                        lastMove = Instant.now();
                    }
                }
            } finally {
                worker.stop();
            }

            if (count >= 3000) {
                assertThat(largestTake(database)).as("items of the largest take: more than PostgreSQL's output buffer holds").isGreaterThan(110);
            }
            assertThat(pendingWithoutItem(database)).as("pending deliveries whose item is gone: nothing will ever send them").isEmpty();
            assertThat(statuses(database)).as("deliveries by status").isEqualTo(Map.of("delivered", (long) count));
            assertThat(itemsLeft(database)).as("items left on the queue").isZero();
            Map<String, Long> sent = receiver.requests().stream().collect(Collectors.groupingBy(Receiver.Request::webhookId, Collectors.counting()));
            assertThat(sent).as("events received").hasSize(count);
            assertThat(sent.entrySet().stream().filter(entry -> entry.getValue() > 1).toList()).as("events received more than once").isEmpty();
            // Items taken only to find the endpoint's line full cost a read, a statement to put them back and a wait each
            // (30-40 % of a drain's attempts before the takes were capped per endpoint; the few left come from takes that
            // started before the line filled).
            double deferred = meters.find("paystream.webhook.attempts.deferred").counters().stream().mapToDouble(counter -> counter.count()).sum();
            assertThat(deferred).as("attempts taken and put back because the endpoint was busy").isLessThanOrEqualTo(count * putBackShareMax);
        } finally {
            ((io.r2dbc.pool.ConnectionPool) connections).dispose();
        }
    }

    /**
     * Makes the commits of the first takes wait 2 s once their rows went out (as a commit waiting for its WAL
     * flush on a loaded machine does, only longer, so that it happens every time): a deferred trigger on the
     * rows a take leases, which runs at commit time and sleeps once per transaction, in the first three takes.
     */
    private static void slowTakeCommits(DatabaseClient database) {
        database.sql("CREATE SEQUENCE test_slow_commits").then().block();
        database.sql("CREATE TABLE test_taken (txid BIGINT NOT NULL)").then().block();
        database.sql("""
                CREATE FUNCTION test_slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO test_taken (txid) VALUES (txid_current());
                    IF current_setting('test.slept', true) IS DISTINCT FROM 'yes' THEN
                        PERFORM set_config('test.slept', 'yes', true);
                        IF nextval('test_slow_commits') <= 3 THEN
                            PERFORM pg_sleep(2);
                        END IF;
                    END IF;
                    RETURN NULL;
                END $$""").then().block();
        database.sql("""
                CREATE CONSTRAINT TRIGGER work_items_taken_commit_slowly AFTER UPDATE ON work_items DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW WHEN (NEW.lease_token IS NOT NULL AND NEW.lease_token IS DISTINCT FROM OLD.lease_token)
                EXECUTE FUNCTION test_slow_commit()""").then().block();
    }

    private static long pendingDeliveries(DatabaseClient database) {
        return database.sql("SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'pending'").map(row -> row.get("n", Long.class)).one().block();
    }

    private static long largestTake(DatabaseClient database) {
        return database.sql("SELECT coalesce(max(n), 0) AS n FROM (SELECT count(*) AS n FROM test_taken GROUP BY txid) AS takes")
                .map(row -> row.get("n", Long.class)).one().block();
    }

    private static long itemsLeft(DatabaseClient database) {
        return database.sql("SELECT count(*) AS n FROM work_items").map(row -> row.get("n", Long.class)).one().block();
    }

    private static List<String> pendingWithoutItem(DatabaseClient database) {
        return database.sql("""
                        SELECT d.id FROM webhook_deliveries d
                        WHERE d.status = 'pending' AND NOT EXISTS (SELECT 1 FROM work_items w WHERE w.queue = :queue AND w.item_key = d.id)""")
                .bind("queue", R2dbcDeliveries.QUEUE).map(row -> row.get("id", String.class)).all().collectList().block();
    }

    private static Map<String, Long> statuses(DatabaseClient database) {
        return database.sql("SELECT status, count(*) AS n FROM webhook_deliveries GROUP BY status")
                .map(row -> Map.entry(row.get("status", String.class), row.get("n", Long.class))).all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue).block();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }
}
