package dev.paystream.payment.settlement.adapter.r2dbc;

import dev.paystream.payment.balance.Balances;
import dev.paystream.payment.payment.adapter.r2dbc.R2dbcPaymentEventStore;
import dev.paystream.payment.payment.domain.Payment;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentSettled;
import dev.paystream.payment.settlement.adapter.contract.SettlementContractMapper;
import dev.paystream.payment.settlement.application.ConcurrentSettlementChange;
import dev.paystream.payment.settlement.application.RefundToSettle;
import dev.paystream.payment.settlement.application.SettlementClosed;
import dev.paystream.payment.settlement.application.SettlementRun;
import dev.paystream.payment.settlement.application.SettlementStore;
import dev.paystream.payment.settlement.domain.Settlement;
import dev.paystream.payment.settlement.domain.SettlementEvent;
import dev.paystream.payment.settlement.domain.SettlementEvent.SettlementCompleted;
import dev.paystream.payment.settlement.domain.SettlementId;
import dev.paystream.payment.settlement.domain.SettlementLine;
import dev.paystream.payment.settlement.domain.SettlementTotals;
import dev.paystream.platform.failure.CauseChain;
import dev.paystream.platform.ids.TimeOrderedIds;
import dev.paystream.platform.outbox.OutboxWriter;
import dev.paystream.platform.store.AppendStatement;
import dev.paystream.platform.store.ConcurrentAppend;
import dev.paystream.platform.store.EventStream;
import dev.paystream.platform.store.JsonEventCodec;
import dev.paystream.events.EventTypes;
import dev.paystream.platform.store.SqlPart;
import dev.paystream.platform.workqueue.WorkQueue;
import io.r2dbc.spi.Readable;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Settlement batches on PostgreSQL. {@code settlements} holds each batch with its running totals and its
 * status: {@code running} while lines are added, {@code completing} once closed to new lines,
 * {@code completed} with its {@code settlement.completed} event. A table trigger refuses new lines' totals
 * on a batch that is not running, which fails the whole statement of a page written too late (by a run
 * that lost the race to a resumed one): a batch's totals are always the sum of its lines.
 *
 * <p>Each page is one {@link AppendStatement}: the payments' events (their primary key refusing a payment
 * that changed since it was read), outbox rows and read model, the lines, the totals, and the heartbeat of
 * the batch's item on the work queue {@value #RUNS}, which takes the batch up should its run stop.
 */
public final class R2dbcSettlementStore implements SettlementStore {

    /** The work queue of batches being built: key the settlement id, payload its merchant. */
    public static final String RUNS = "settlement-runs";
    static final String NOT_RUNNING = "settlement_not_running";
    /** How settlement events are kept in {@code settlement_events.payload}: under their contract type names. */
    static final JsonEventCodec<SettlementEvent> STORED_EVENTS = new JsonEventCodec<>(SettlementEvent.class,
            Map.of(EventTypes.SETTLEMENT_COMPLETED, SettlementCompleted.class),
            event -> event.settlementId().value(), SettlementEvent::occurredAt);

    private final DatabaseClient database;
    private final OutboxWriter outbox;
    private final SettlementContractMapper contract;
    private final R2dbcPaymentEventStore payments;
    private final WorkQueue runs;
    private final Duration resumeAfter;
    private final EventStream<SettlementEvent> stream;

    /**
     * @param resumeAfter how long a batch's run may go without writing a page before the work queue takes it up
     */
    public R2dbcSettlementStore(DatabaseClient database, OutboxWriter outbox, SettlementContractMapper contract,
                                R2dbcPaymentEventStore payments, WorkQueue runs, Duration resumeAfter) {
        this.database = database;
        this.outbox = outbox;
        this.contract = contract;
        this.payments = payments;
        this.runs = runs;
        this.resumeAfter = resumeAfter;
        this.stream = new EventStream<>(database, "settlement_events", "settlement_id", STORED_EVENTS);
    }

    @Override
    public Flux<String> currenciesToSettle(String merchantId) {
        return database.sql("""
                        SELECT currency FROM payments WHERE merchant_id = :merchantId AND settlement_id IS NULL AND amount_captured > 0
                        UNION SELECT currency FROM refunds WHERE merchant_id = :merchantId AND settlement_id IS NULL
                        UNION SELECT currency FROM settlements WHERE merchant_id = :merchantId AND status <> 'completed'
                        ORDER BY currency""")
                .bind("merchantId", merchantId)
                .map(row -> row.get("currency", String.class))
                .all();
    }

    @Override
    public Flux<String> merchantsToSettle() {
        return database.sql("""
                        SELECT merchant_id FROM payments WHERE settlement_id IS NULL AND amount_captured > 0
                        UNION SELECT merchant_id FROM refunds WHERE settlement_id IS NULL
                        ORDER BY merchant_id""")
                .map(row -> row.get("merchant_id", String.class))
                .all();
    }

    @Override
    public Mono<SettlementRun> start(String merchantId, String currency, SettlementId newId, Instant now) {
        SqlPart resumption = runs.addEach("run", "SELECT id AS item_key, merchant_id AS payload FROM started", resumeAfter);
        DatabaseClient.GenericExecuteSpec statement = database.sql("""
                        WITH started AS (
                            INSERT INTO settlements (id, merchant_id, currency, status, started_at)
                            VALUES (:id, :merchantId, :currency, 'running', :now)
                            ON CONFLICT (merchant_id, currency) WHERE status <> 'completed' DO NOTHING
                            RETURNING id, merchant_id),
                        run AS (""" + resumption.sql() + """
                        )
                        SELECT count(*) AS started FROM started""")
                .bind("id", newId.value()).bind("merchantId", merchantId).bind("currency", currency).bind("now", now);
        for (var binding : resumption.bindings().entrySet()) {
            statement = statement.bind(binding.getKey(), binding.getValue());
        }
        // When a batch of the merchant and currency is running already, this run joins it.
        return statement.map(row -> row.get("started", Long.class)).one()
                .then(database.sql("SELECT * FROM settlements WHERE merchant_id = :merchantId AND currency = :currency AND status <> 'completed'")
                        .bind("merchantId", merchantId).bind("currency", currency)
                        .map(R2dbcSettlementStore::toRun)
                        .one());
    }

    @Override
    public Mono<SettlementRun> running(SettlementId id, String merchantId) {
        return database.sql("SELECT * FROM settlements WHERE id = :id AND merchant_id = :merchantId AND status <> 'completed'")
                .bind("id", id.value()).bind("merchantId", merchantId)
                .map(R2dbcSettlementStore::toRun)
                .one();
    }

    @Override
    public Mono<List<Payment>> unsettledPayments(SettlementRun run, String afterId, String upToId, int limit) {
        Map<String, Object> bindings = new HashMap<>(Map.of("merchantId", run.merchantId(), "currency", run.currency(),
                "startedAt", run.startedAt(), "afterId", afterId == null ? "" : afterId, "limit", limit));
        if (upToId != null) {
            bindings.put("upToId", upToId);
        }
        return database.sql("SELECT id FROM payments"
                        + " WHERE merchant_id = :merchantId AND currency = :currency AND settlement_id IS NULL AND amount_captured > 0"
                        + " AND created_at <= :startedAt AND id > :afterId" + (upToId == null ? "" : " AND id <= :upToId")
                        + " ORDER BY id LIMIT :limit")
                .bindValues(bindings)
                .map(row -> row.get("id", String.class))
                .all()
                .collectList()
                .flatMap(ids -> payments.loadAll(ids, run.merchantId()));
    }

    @Override
    public Mono<Void> settlePayments(SettlementRun run, List<Payment> before, List<PaymentSettled> events, List<SettlementLine> lines,
                                     SettlementTotals totals) {
        return Mono.defer(() -> {
            AppendStatement append = new AppendStatement(database, "events");
            payments.addSettled(append, run.merchantId(), before, events);
            return page(run, append, lines, totals);
        });
    }

    @Override
    public Mono<List<RefundToSettle>> unsettledRefunds(SettlementRun run, String afterId, int limit) {
        return database.sql("""
                        SELECT r.id, r.amount, r.created_at, p.id AS payment_id, p.currency, p.payment_method, p.card_brand, p.card_last4,
                               p.customer_id, p.invoice_id
                        FROM refunds r JOIN payments p ON p.id = r.payment_id
                        WHERE r.merchant_id = :merchantId AND r.currency = :currency AND r.settlement_id IS NULL
                          AND r.created_at <= :startedAt AND r.id > :afterId
                        ORDER BY r.id LIMIT :limit""")
                .bind("merchantId", run.merchantId()).bind("currency", run.currency()).bind("startedAt", run.startedAt())
                .bind("afterId", afterId == null ? "" : afterId).bind("limit", limit)
                .map(row -> new RefundToSettle(row.get("id", String.class), row.get("amount", Long.class), instant(row, "created_at"),
                        new SettlementLine.PaymentFacts(row.get("payment_id", String.class), row.get("currency", String.class),
                                row.get("payment_method", String.class), row.get("card_brand", String.class), row.get("card_last4", String.class),
                                row.get("customer_id", String.class), row.get("invoice_id", String.class))))
                .all()
                .collectList();
    }

    @Override
    public Mono<Void> settleRefunds(SettlementRun run, List<SettlementLine> lines, SettlementTotals totals) {
        return Mono.defer(() -> {
            AppendStatement append = new AppendStatement(database, "lines");
            append.part("refunds", SqlPart.of("UPDATE refunds SET settlement_id = :refunds_settlement WHERE id = ANY(CAST(:refunds_ids AS TEXT[]))"
                            + " AND settlement_id IS NULL AND " + AppendStatement.FENCED,
                    Map.of("refunds_settlement", Parameter.from(run.id().value()),
                            "refunds_ids", Parameter.from(lines.stream().map(SettlementLine::refundId).toArray(String[]::new)))));
            return page(run, append, lines, totals);
        });
    }

    /** Adds the lines, the totals and the heartbeat to a page's statement and runs it. */
    private Mono<Void> page(SettlementRun run, AppendStatement append, List<SettlementLine> lines, SettlementTotals totals) {
        append.part("lines", SettlementLines.insert("lines", lines))
                .part("totals", SqlPart.of("""
                        UPDATE settlements SET payment_count = payment_count + :totals_payments, refund_count = refund_count + :totals_refunds,
                            gross_amount = gross_amount + :totals_gross, refunded_amount = refunded_amount + :totals_refunded,
                            fee_amount = fee_amount + :totals_fees, net_amount = net_amount + :totals_net
                        WHERE id = :totals_id AND""" + " " + AppendStatement.FENCED, Map.of(
                        "totals_payments", Parameter.from(totals.paymentCount()), "totals_refunds", Parameter.from(totals.refundCount()),
                        "totals_gross", Parameter.from(totals.grossAmount()), "totals_refunded", Parameter.from(totals.refundedAmount()),
                        "totals_fees", Parameter.from(totals.feeAmount()), "totals_net", Parameter.from(totals.netAmount()),
                        "totals_id", Parameter.from(run.id().value()))))
                .part("heartbeat", runs.postpone("heartbeat", run.id().value(), resumeAfter));
        return append.execute()
                .onErrorMap(ConcurrentAppend.class, conflict -> new ConcurrentSettlementChange(run.id(), conflict))
                .onErrorMap(R2dbcSettlementStore::refusedAsNotRunning, refused -> new SettlementClosed(run.id(), refused))
                .doOnSuccess(done -> outbox.rowsWritten())
                .then();
    }

    @Override
    public Mono<SettlementTotals> close(SettlementRun run) {
        // Waits for a page being written (it holds the row): the totals then include it, and no page comes after.
        return database.sql("""
                        UPDATE settlements SET status = CASE WHEN status = 'completed' THEN status ELSE 'completing' END
                        WHERE id = :id RETURNING *""")
                .bind("id", run.id().value())
                .map(R2dbcSettlementStore::totals)
                .one();
    }

    @Override
    public Mono<Settlement> complete(SettlementRun run, SettlementCompleted completed) {
        return Mono.defer(() -> {
            Settlement after = Settlement.evolve(null, completed);
            String eventId = TimeOrderedIds.newId("evt_");
            AppendStatement append = new AppendStatement(database, "events")
                    .rows("events", stream.rows(List.of(new EventStream.Recorded<>(eventId, after.version(), completed)), run.merchantId()))
                    .rows("outbox", outbox.rows(List.of(contract.toOutboxMessage(eventId, after.version(), completed, after))))
                    .part("read_model", SqlPart.of("UPDATE settlements SET status = 'completed', created_at = :completed_at, version = :completed_version"
                                    + " WHERE id = :completed_id AND status = 'completing' AND " + AppendStatement.FENCED,
                            Map.of("completed_at", Parameter.from(after.createdAt()), "completed_version", Parameter.from(after.version()),
                                    "completed_id", Parameter.from(run.id().value()))))
                    .part("balance", Balances.credited("balance", run.merchantId(), run.currency(), after.totals().netAmount()));
            runs.finish(append, "run", run.id().value());
            return append.execute()
                    .onErrorMap(ConcurrentAppend.class, conflict -> new ConcurrentSettlementChange(run.id(), conflict))
                    .doOnSuccess(done -> outbox.rowsWritten())
                    .thenReturn(after);
        });
    }

    @Override
    public Mono<Void> abandon(SettlementRun run) {
        return database.sql("""
                        WITH dropped AS (
                            DELETE FROM settlements WHERE id = :id AND status <> 'completed' AND payment_count = 0 AND refund_count = 0 RETURNING id)
                        DELETE FROM work_items WHERE queue = :queue AND item_key IN (SELECT id FROM dropped)""")
                .bind("id", run.id().value()).bind("queue", RUNS)
                .then();
    }

    @Override
    public Mono<Settlement> load(SettlementId id, String merchantId) {
        return stream.history(id.value(), merchantId).map(EventStream.Recorded::event).collectList()
                .filter(history -> !history.isEmpty())
                .map(Settlement::replay);
    }

    private static boolean refusedAsNotRunning(Throwable failure) {
        return CauseChain.first(failure, cause -> cause.getMessage() != null && cause.getMessage().contains(NOT_RUNNING)).isPresent();
    }

    private static SettlementRun toRun(Readable row) {
        return new SettlementRun(new SettlementId(row.get("id", String.class)), row.get("merchant_id", String.class),
                row.get("currency", String.class), instant(row, "started_at"));
    }

    private static SettlementTotals totals(Readable row) {
        return new SettlementTotals(row.get("payment_count", Long.class), row.get("refund_count", Long.class),
                row.get("gross_amount", Long.class), row.get("refunded_amount", Long.class), row.get("fee_amount", Long.class),
                row.get("net_amount", Long.class));
    }

    static Instant instant(Readable row, String column) {
        OffsetDateTime value = row.get(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
