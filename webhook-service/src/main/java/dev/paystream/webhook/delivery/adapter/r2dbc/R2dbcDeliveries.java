package dev.paystream.webhook.delivery.adapter.r2dbc;

import dev.paystream.platform.consumer.EventClaims;
import dev.paystream.platform.groupcommit.GroupCommit;
import dev.paystream.platform.store.SqlPart;
import dev.paystream.platform.web.PageRequest;
import dev.paystream.platform.workqueue.WorkItem;
import dev.paystream.platform.workqueue.WorkQueue;
import dev.paystream.webhook.delivery.application.AttemptContext;
import dev.paystream.webhook.delivery.application.Deliveries;
import dev.paystream.webhook.delivery.application.Delivery;
import dev.paystream.webhook.delivery.application.DeliveryLog;
import dev.paystream.webhook.delivery.application.OutgoingEvent;
import dev.paystream.webhook.delivery.domain.AttemptResult;
import dev.paystream.webhook.delivery.domain.NextStep;
import dev.paystream.webhook.endpoint.SecretSealer;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Deliveries in PostgreSQL: {@code webhook_events} (each event's body, once), {@code webhook_deliveries},
 * {@code webhook_attempts}, and their items on the work queue {@value #QUEUE} (key: the delivery id).
 * Every write that changes a delivery and its place on the queue is one statement.
 */
public final class R2dbcDeliveries implements Deliveries, DeliveryLog {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(R2dbcDeliveries.class);

    public static final String QUEUE = "webhook-attempts";

    /** A delivery's columns as the API shows them. */
    private static final String DELIVERY_COLUMNS =
            "d.id, d.event_id, d.endpoint_id, d.event_type, d.status, d.next_attempt_at, d.created_at, d.updated_at";

    /** The most attempts whose contexts are read, or whose outcomes are written, in one statement. */
    private static final int BATCH_SIZE_MAX = 128;
    /** Statements of each kind at once: a few, so that the pool (20 connections) keeps room for the rest. */
    private static final int STATEMENTS_IN_FLIGHT_MAX = 3;

    private final DatabaseClient database;
    private final WorkQueue queue;
    private final GroupCommit<String, Optional<AttemptContext>> contexts;
    private final GroupCommit<Outcome, Boolean> records;

    private final SecretSealer sealer;
    /** Secrets opened lately, by endpoint (see {@link #open}); started over once it holds {@value #OPENED_MAX}. */
    private final Map<String, Opened> opened = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int OPENED_MAX = 10_000;

    public R2dbcDeliveries(DatabaseClient database, SecretSealer sealer) {
        this.database = database;
        this.sealer = sealer;
        this.queue = new WorkQueue(database, QUEUE);
        // Concurrent attempts share their reads and their writes: a statement (and a commit) per group, not per attempt.
        this.contexts = new GroupCommit<>(this::readContexts, BATCH_SIZE_MAX, STATEMENTS_IN_FLIGHT_MAX);
        this.records = new GroupCommit<>(this::writeOutcomes, BATCH_SIZE_MAX, STATEMENTS_IN_FLIGHT_MAX);
    }

    public WorkQueue queue() {
        return queue;
    }

    /**
     * The claim ({@link EventClaims#CLAIM}), then for the events claimed now: the event's body (only when
     * some endpoint gets it), one delivery per live endpoint of its merchant that subscribes to its type
     * ({@code *}, the type itself, or its prefix as {@code payment.*}), and their first attempts, due now.
     * The endpoints are chosen here, not by the caller's view of the subscriptions: that view only keeps
     * the events nobody subscribes to away from this statement.
     */
    @Override
    public Mono<Long> fanOut(String consumer, List<OutgoingEvent> outgoing) {
        // An item's payload is its endpoint: the worker leaves the items of an endpoint that has all the attempts it may have.
        SqlPart work = queue.addEach("work", "SELECT id AS item_key, endpoint_id AS payload FROM delivery");
        String sql = "WITH " + EventClaims.CLAIM + """
                ,
                incoming AS (
                    SELECT i.event_id, i.merchant_id, i.type, i.body, i.occurred_at
                    FROM unnest(CAST(:eventIds AS TEXT[]), CAST(:merchantIds AS TEXT[]), CAST(:types AS TEXT[]), CAST(:bodies AS TEXT[]),
                                CAST(CAST(:occurredAts AS TEXT[]) AS TIMESTAMPTZ[])) AS i (event_id, merchant_id, type, body, occurred_at)
                    JOIN claim ON claim.event_id = i.event_id),
                target AS (
                    SELECT incoming.event_id, incoming.merchant_id, incoming.type, endpoint.id AS endpoint_id
                    FROM incoming
                    JOIN webhook_endpoints endpoint ON endpoint.merchant_id = incoming.merchant_id
                        AND endpoint.deleted_at IS NULL AND NOT endpoint.disabled
                        AND endpoint.event_types && ARRAY['*', incoming.type, split_part(incoming.type, '.', 1) || '.*']),
                event AS (
                    INSERT INTO webhook_events (id, merchant_id, type, body, occurred_at)
                    SELECT incoming.event_id, incoming.merchant_id, incoming.type, incoming.body, incoming.occurred_at FROM incoming
                    WHERE EXISTS (SELECT 1 FROM target WHERE target.event_id = incoming.event_id)
                    ON CONFLICT (id) DO NOTHING),
                delivery AS (
                    INSERT INTO webhook_deliveries (id, merchant_id, event_id, endpoint_id, event_type, status, next_attempt_at, created_at, updated_at)
                    SELECT webhook_delivery_id(), target.merchant_id, target.event_id, target.endpoint_id, target.type, 'pending', now(), now(), now()
                    FROM target
                    ON CONFLICT (event_id, endpoint_id) DO NOTHING
                    RETURNING id, endpoint_id),
                work AS (""" + work.sql() + """
                )
                SELECT count(*) AS made FROM delivery""";
        DatabaseClient.GenericExecuteSpec statement = EventClaims.bind(database.sql(sql), consumer,
                outgoing.stream().map(OutgoingEvent::id).toList(), outgoing.stream().map(OutgoingEvent::type).toList());
        statement = statement.bind("eventIds", outgoing.stream().map(OutgoingEvent::id).toArray(String[]::new))
                .bind("merchantIds", outgoing.stream().map(OutgoingEvent::merchantId).toArray(String[]::new))
                .bind("types", outgoing.stream().map(OutgoingEvent::type).toArray(String[]::new))
                .bind("bodies", outgoing.stream().map(OutgoingEvent::body).toArray(String[]::new))
                .bind("occurredAts", outgoing.stream().map(event -> event.occurredAt().toString()).toArray(String[]::new));
        return bindAll(statement, work).map(row -> row.get("made", Long.class)).one();
    }

    @Override
    public Mono<AttemptContext> attemptContext(String deliveryId) {
        return contexts.submit(deliveryId).flatMap(Mono::justOrEmpty);
    }

    /** The contexts of the deliveries of concurrent attempts, read together (see {@link GroupCommit}). */
    private Mono<List<Optional<AttemptContext>>> readContexts(List<String> deliveryIds) {
        return database.sql("""
                        SELECT d.id, d.event_id, d.endpoint_id, d.status, d.round_attempts, d.attempts_total, endpoint.url, endpoint.secret_sealed,
                               CASE WHEN endpoint.previous_secret_expires_at > now() THEN endpoint.previous_secret_sealed END AS previous_secret_sealed,
                               endpoint.deleted_at IS NULL AND NOT endpoint.disabled AS live, event.body
                        FROM webhook_deliveries d
                        JOIN webhook_endpoints endpoint ON endpoint.id = d.endpoint_id
                        JOIN webhook_events event ON event.id = d.event_id
                        WHERE d.id = ANY(:ids)""")
                .bind("ids", deliveryIds.toArray(String[]::new))
                .map(row -> {
                    List<String> secrets = openSecrets(row.get("endpoint_id", String.class), row.get("secret_sealed", byte[].class),
                            row.get("previous_secret_sealed", byte[].class));
                    return new AttemptContext(row.get("id", String.class), row.get("event_id", String.class), row.get("endpoint_id", String.class),
                            row.get("status", String.class), row.get("round_attempts", Integer.class), row.get("attempts_total", Integer.class),
                            row.get("url", String.class), secrets, Boolean.TRUE.equals(row.get("live", Boolean.class)), row.get("body", String.class));
                })
                .all()
                .collectMap(AttemptContext::deliveryId)
                .map(found -> deliveryIds.stream().map(id -> Optional.ofNullable(found.get(id))).toList());
    }

    /**
     * The endpoint's secrets, newest first; none when its sealed secret does not open (copied from another
     * row, altered): the attempt then fails rather than going out unsigned, and the other attempts read
     * in the same statement are not held up by it. A previous secret that does not open is left out (a
     * rotation is how such an endpoint is mended, and moves the broken one there).
     */
    private List<String> openSecrets(String endpointId, byte[] sealed, byte[] previousSealed) {
        String secret = open(endpointId, "current", sealed);
        if (secret == null) {
            return List.of();
        }
        String previous = previousSealed == null ? null : open(endpointId, "previous", previousSealed);
        return previous == null ? List.of(secret) : List.of(secret, previous);
    }

    /** A secret opened before, with the sealed bytes it came from. */
    private record Opened(byte[] sealed, String secret) {
    }

    private String open(String endpointId, String slot, byte[] sealed) {
        if (sealed == null) {
            // A row without a sealed secret (written in plain text by a version before sealing, while this one runs): not signed, not sent.
            log.warn("Endpoint {} has no sealed signing secret", endpointId);
            return null;
        }
        // The same sealed bytes open to the same secret: opened once, not for every attempt (AES-GCM with a
        // Cipher per call was 3-4 % of the attempts' CPU). A rotation writes new bytes, which are opened anew.
        Opened known = opened.get(endpointId + "/" + slot);
        if (known != null && java.util.Arrays.equals(known.sealed(), sealed)) {
            return known.secret();
        }
        try {
            String secret = sealer.open(endpointId, sealed);
            if (opened.size() >= OPENED_MAX) {
                opened.clear();
            }
            opened.put(endpointId + "/" + slot, new Opened(sealed.clone(), secret));
            return secret;
        } catch (SecretSealer.NotOpened notOpened) {
            log.warn(notOpened.getMessage());
            return null;
        }
    }

    @Override
    public Mono<Boolean> record(WorkItem item, AttemptContext delivery, Instant attemptedAt, AttemptResult result, NextStep next) {
        return records.submit(new Outcome(item, delivery, attemptedAt, result, next));
    }

    /** An attempt to record, with what follows from it. */
    private record Outcome(WorkItem item, AttemptContext delivery, Instant attemptedAt, AttemptResult result, NextStep next) {

        Instant nextAttemptAt() {
            return next instanceof NextStep.RetryAt retry ? retry.at() : null;
        }
    }

    /**
     * The outcomes of concurrent attempts in one statement (see {@link GroupCommit}): their items moved to
     * their next attempt or removed, each only while its lease holds; then, for the items still held,
     * the attempt rows, the deliveries' new state and the endpoints that answered 410 disabled. Emits for
     * each outcome whether it was recorded.
     */
    private Mono<List<Boolean>> writeOutcomes(List<Outcome> outcomes) {
        List<Outcome> retried = outcomes.stream().filter(outcome -> outcome.nextAttemptAt() != null).toList();
        List<Outcome> ended = outcomes.stream().filter(outcome -> outcome.nextAttemptAt() == null).toList();
        SqlPart moved = queue.dueAgainAll("moved", retried.stream().map(Outcome::item).toList(),
                retried.stream().map(Outcome::nextAttemptAt).toList());
        SqlPart removed = queue.removeHeldAll("removed", ended.stream().map(Outcome::item).toList());
        String sql = "WITH moved AS (" + moved.sql() + " RETURNING work_items.item_key), removed AS (" + removed.sql()
                + " RETURNING work_items.item_key)" + """
                ,
                held AS (SELECT item_key FROM moved UNION ALL SELECT item_key FROM removed),
                outcome AS (
                    SELECT o.* FROM unnest(CAST(:deliveryIds AS TEXT[]), CAST(CAST(:attemptNos AS TEXT[]) AS INTEGER[]),
                                           CAST(CAST(:attemptedAts AS TEXT[]) AS TIMESTAMPTZ[]), CAST(CAST(:statusCodes AS TEXT[]) AS INTEGER[]),
                                           CAST(CAST(:latencies AS TEXT[]) AS INTEGER[]), CAST(:responseBodies AS TEXT[]), CAST(:errors AS TEXT[]),
                                           CAST(:statuses AS TEXT[]), CAST(CAST(:nextAttemptAts AS TEXT[]) AS TIMESTAMPTZ[]), CAST(:goneEndpointIds AS TEXT[]))
                        AS o (delivery_id, attempt_no, attempted_at, status_code, latency_ms, response_body, error, status, next_attempt_at, gone_endpoint_id)
                    JOIN held ON held.item_key = o.delivery_id),
                attempt AS (
                    INSERT INTO webhook_attempts (delivery_id, attempt_no, attempted_at, status_code, latency_ms, response_body, error)
                    SELECT delivery_id, attempt_no, attempted_at, status_code, latency_ms, response_body, error FROM outcome
                    ON CONFLICT (delivery_id, attempt_no) DO NOTHING),
                delivery AS (
                    UPDATE webhook_deliveries d SET status = outcome.status, round_attempts = d.round_attempts + 1,
                        attempts_total = d.attempts_total + 1, next_attempt_at = outcome.next_attempt_at, updated_at = now()
                    FROM outcome WHERE d.id = outcome.delivery_id),
                endpoint AS (
                    UPDATE webhook_endpoints e SET disabled = true, disabled_reason = 'gone', updated_at = now()
                    FROM (SELECT DISTINCT gone_endpoint_id FROM outcome WHERE gone_endpoint_id IS NOT NULL) AS gone
                    WHERE e.id = gone.gone_endpoint_id)
                SELECT item_key FROM held""";
        DatabaseClient.GenericExecuteSpec statement = database.sql(sql)
                .bind("deliveryIds", texts(outcomes, outcome -> outcome.delivery().deliveryId()))
                .bind("attemptNos", texts(outcomes, outcome -> Integer.toString(outcome.delivery().attemptsTotal() + 1)))
                .bind("attemptedAts", texts(outcomes, outcome -> outcome.attemptedAt().toString()))
                .bind("statusCodes", texts(outcomes, outcome -> outcome.result().statusCode() == null ? null : outcome.result().statusCode().toString()))
                .bind("latencies", texts(outcomes, outcome -> Long.toString(Math.min(Integer.MAX_VALUE, outcome.result().latencyMs()))))
                .bind("responseBodies", texts(outcomes, outcome -> outcome.result().responseBody()))
                .bind("errors", texts(outcomes, outcome -> outcome.result().error() == null ? null : outcome.result().error().code()))
                .bind("statuses", texts(outcomes, outcome -> outcome.next().status()))
                .bind("nextAttemptAts", texts(outcomes, outcome -> outcome.nextAttemptAt() == null ? null : outcome.nextAttemptAt().toString()))
                .bind("goneEndpointIds", texts(outcomes, outcome -> outcome.next() instanceof NextStep.EndpointGone ? outcome.delivery().endpointId() : null));
        statement = bindAll(bindAll(statement, moved), removed);
        return statement.map(row -> row.get("item_key", String.class)).all().collect(Collectors.toSet())
                .map(held -> outcomes.stream().map(outcome -> held.contains(outcome.item().key())).toList());
    }

    private static <T> String[] texts(List<T> items, Function<T, String> text) {
        String[] texts = new String[items.size()];
        for (int index = 0; index < texts.length; index++) {
            texts[index] = text.apply(items.get(index));
        }
        return texts;
    }

    @Override
    public Mono<Void> failWithoutAttempt(WorkItem item, String deliveryId) {
        SqlPart lease = queue.removeHeld("lease", item);
        return bindAll(database.sql("WITH lease AS (" + lease.sql() + " RETURNING 1) "
                        + "UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, updated_at = now() "
                        + "WHERE id = :deliveryId AND status = 'pending' AND EXISTS (SELECT 1 FROM lease)")
                .bind("deliveryId", deliveryId), lease).then();
    }

    @Override
    public Mono<Void> defer(WorkItem item, Instant until) {
        SqlPart lease = queue.dueAgain("lease", item, until);
        return bindAll(database.sql(lease.sql()), lease).then();
    }

    @Override
    public Mono<Void> drop(WorkItem item) {
        SqlPart lease = queue.removeHeld("lease", item);
        return bindAll(database.sql(lease.sql()), lease).then();
    }

    @Override
    public Mono<PendingDeliveries> pending() {
        return database.sql("SELECT count(*) AS pending, min(created_at) AS oldest FROM webhook_deliveries WHERE status = 'pending'")
                .map(row -> new PendingDeliveries(row.get("pending", Long.class), instant(row, "oldest")))
                .one();
    }

    @Override
    public Flux<Delivery> list(String merchantId, Filter filter, PageRequest page) {
        StringBuilder sql = new StringBuilder("SELECT ").append(DELIVERY_COLUMNS).append(" FROM webhook_deliveries d WHERE d.merchant_id = :merchantId");
        Map<String, Object> bindings = new LinkedHashMap<>();
        bindings.put("merchantId", merchantId);
        if (filter.endpointId() != null) {
            sql.append(" AND d.endpoint_id = :endpointId");
            bindings.put("endpointId", filter.endpointId());
        }
        if (filter.eventId() != null) {
            sql.append(" AND d.event_id = :eventId");
            bindings.put("eventId", filter.eventId());
        }
        if (filter.status() != null) {
            sql.append(" AND d.status = :status");
            bindings.put("status", filter.status());
        }
        if (page.startingAfter() != null) {
            sql.append(" AND d.id < :startingAfter");
            bindings.put("startingAfter", page.startingAfter());
        }
        sql.append(" ORDER BY d.id DESC LIMIT :limit");
        bindings.put("limit", page.rowsToFetch());
        DatabaseClient.GenericExecuteSpec statement = database.sql(sql.toString());
        for (var binding : bindings.entrySet()) {
            statement = statement.bind(binding.getKey(), binding.getValue());
        }
        return statement.map(R2dbcDeliveries::deliveryRow).all().collectList().flatMapMany(this::withAttempts);
    }

    @Override
    public Mono<Delivery> find(String merchantId, String deliveryId) {
        return database.sql("SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries d WHERE d.id = :id AND d.merchant_id = :merchantId")
                .bind("id", deliveryId).bind("merchantId", merchantId)
                .map(R2dbcDeliveries::deliveryRow).all().collectList()
                .flatMapMany(this::withAttempts).next();
    }

    @Override
    public Mono<Resend> retry(String merchantId, String deliveryId) {
        return find(merchantId, deliveryId)
                .flatMap(delivery -> resend(merchantId, delivery.endpointId(), false, "d.id = :deliveryId", Map.of("deliveryId", deliveryId))
                        .flatMap(resend -> resend instanceof Queued
                                ? find(merchantId, deliveryId).map(after -> (Resend) new Queued(1, after))
                                : Mono.just(resend)))
                .defaultIfEmpty(new NotFound());
    }

    @Override
    public Mono<Resend> recover(String merchantId, String endpointId, Instant since) {
        return resend(merchantId, endpointId, true, "d.endpoint_id = :endpointId AND d.status = 'failed' AND d.created_at >= :since",
                Map.of("since", since));
    }

    /**
     * Puts the deliveries of one endpoint that match {@code condition} back to pending, at the start of
     * a new round, with their items due now — in one statement, and only while the endpoint is live.
     *
     * @param deletedIsMissing whether a deleted endpoint is {@link NotFound} (else {@link EndpointNotLive})
     */
    private Mono<Resend> resend(String merchantId, String endpointId, boolean deletedIsMissing, String condition, Map<String, Object> bindings) {
        SqlPart work = queue.makeDueNow("work", "SELECT item_key, payload FROM resent");
        String sql = """
                WITH endpoint AS (
                    SELECT id, deleted_at IS NULL AS present, deleted_at IS NULL AND NOT disabled AS live FROM webhook_endpoints
                    WHERE id = :endpointId AND merchant_id = :merchantId),
                resent AS (
                    UPDATE webhook_deliveries d SET status = 'pending', round_attempts = 0, next_attempt_at = now(), updated_at = now()
                    FROM endpoint WHERE endpoint.live AND d.endpoint_id = endpoint.id AND d.merchant_id = :merchantId AND\s""" + condition + """

                    RETURNING d.id AS item_key, d.endpoint_id AS payload),
                work AS (""" + work.sql() + """
                )
                SELECT (SELECT count(*) FROM endpoint) AS endpoints, (SELECT bool_or(present) FROM endpoint) AS present,
                       (SELECT bool_or(live) FROM endpoint) AS live,
                       (SELECT count(*) FROM resent) AS resent""";
        DatabaseClient.GenericExecuteSpec statement = database.sql(sql).bind("endpointId", endpointId).bind("merchantId", merchantId);
        for (var binding : bindings.entrySet()) {
            statement = statement.bind(binding.getKey(), binding.getValue());
        }
        return bindAll(statement, work)
                .map(row -> {
                    if (row.get("endpoints", Long.class) == 0 || deletedIsMissing && !Boolean.TRUE.equals(row.get("present", Boolean.class))) {
                        return (Resend) new NotFound();
                    }
                    if (!Boolean.TRUE.equals(row.get("live", Boolean.class))) {
                        return new EndpointNotLive(endpointId);
                    }
                    return new Queued(row.get("resent", Long.class), null);
                })
                .one();
    }

    private Flux<Delivery> withAttempts(List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return Flux.empty();
        }
        return database.sql("""
                        SELECT delivery_id, attempted_at, status_code, latency_ms, response_body, error FROM webhook_attempts
                        WHERE delivery_id = ANY(:ids) ORDER BY delivery_id, attempt_no""")
                .bind("ids", deliveries.stream().map(Delivery::id).toArray(String[]::new))
                .map(row -> Map.entry(row.get("delivery_id", String.class), new Delivery.Attempt(instant(row, "attempted_at"),
                        row.get("status_code", Integer.class), row.get("latency_ms", Integer.class), row.get("response_body", String.class),
                        row.get("error", String.class))))
                .all()
                .collect(Collectors.groupingBy(Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())))
                .flatMapMany(attempts -> {
                    List<Delivery> complete = new ArrayList<>(deliveries.size());
                    for (Delivery delivery : deliveries) {
                        complete.add(new Delivery(delivery.id(), delivery.eventId(), delivery.endpointId(), delivery.eventType(), delivery.status(),
                                delivery.nextAttemptAt(), attempts.getOrDefault(delivery.id(), List.of()), delivery.createdAt(), delivery.updatedAt()));
                    }
                    return Flux.fromIterable(complete);
                });
    }

    private static Delivery deliveryRow(Readable row) {
        return new Delivery(row.get("id", String.class), row.get("event_id", String.class), row.get("endpoint_id", String.class),
                row.get("event_type", String.class), row.get("status", String.class), instant(row, "next_attempt_at"), List.of(),
                instant(row, "created_at"), instant(row, "updated_at"));
    }

    private static Instant instant(Readable row, String column) {
        OffsetDateTime value = row.get(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static DatabaseClient.GenericExecuteSpec bindAll(DatabaseClient.GenericExecuteSpec statement, SqlPart part) {
        for (var binding : part.bindings().entrySet()) {
            statement = statement.bind(binding.getKey(), binding.getValue());
        }
        return statement;
    }
}
