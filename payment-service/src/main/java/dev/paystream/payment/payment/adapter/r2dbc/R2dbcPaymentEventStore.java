package dev.paystream.payment.payment.adapter.r2dbc;

import dev.paystream.payment.payment.adapter.contract.PaymentContractMapper;
import dev.paystream.payment.payment.application.ConcurrentPaymentChange;
import dev.paystream.payment.payment.application.InvoiceDueExceeded;
import dev.paystream.payment.payment.application.PaymentEventStore;
import dev.paystream.payment.payment.application.RecordedPaymentEvent;
import dev.paystream.payment.payment.domain.Payment;
import dev.paystream.payment.payment.domain.PaymentEvent;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentSettled;
import dev.paystream.payment.payment.domain.PaymentId;
import dev.paystream.platform.ids.TimeOrderedIds;
import dev.paystream.platform.outbox.OutboxMessage;
import dev.paystream.platform.failure.CauseChain;
import dev.paystream.platform.idempotency.IdempotentRequest;
import dev.paystream.platform.outbox.OutboxWriter;
import dev.paystream.platform.store.AppendStatement;
import dev.paystream.platform.store.ConcurrentAppend;
import dev.paystream.platform.store.EventStream;
import dev.paystream.platform.store.JsonEventCodec;
import dev.paystream.events.EventTypes;
import dev.paystream.platform.store.SqlPart;
import java.util.Map;
import org.springframework.r2dbc.core.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The payment event store on PostgreSQL. One append is one statement ({@link AppendStatement}) holding
 * the new events, their outbox rows, the read-model rows (the payment's, its new refunds'), the pending-completion row and the effect on
 * the request's idempotency key, so a payment that is visible is also sure to be published, and a
 * retry of the request that created it finds it.
 */
public final class R2dbcPaymentEventStore implements PaymentEventStore {

    /** How payment events are kept in {@code payment_events.payload}: under their contract type names. */
    static final JsonEventCodec<PaymentEvent> STORED_EVENTS = new JsonEventCodec<>(PaymentEvent.class, Map.of(
            EventTypes.PAYMENT_PROCESSING, PaymentEvent.PaymentProcessingStarted.class,
            EventTypes.PAYMENT_AUTHORIZED, PaymentEvent.PaymentAuthorized.class,
            EventTypes.PAYMENT_DECLINED, PaymentEvent.PaymentDeclined.class,
            EventTypes.PAYMENT_FAILED, PaymentEvent.PaymentFailed.class,
            EventTypes.PAYMENT_CAPTURED, PaymentEvent.PaymentCaptured.class,
            EventTypes.PAYMENT_CANCELED, PaymentEvent.PaymentCanceled.class,
            EventTypes.PAYMENT_REFUNDED, PaymentEvent.PaymentRefunded.class,
            EventTypes.PAYMENT_SETTLED, PaymentEvent.PaymentSettled.class),
            event -> event.paymentId().value(), PaymentEvent::occurredAt);

    private final DatabaseClient database;
    private final OutboxWriter outbox;
    private final PaymentContractMapper contract;
    private final PaymentReadModel readModel;
    private final EventStream<PaymentEvent> stream;
    private final PendingCompletions pendingCompletions;
    private final RefundReadModel refunds;

    public R2dbcPaymentEventStore(DatabaseClient database, OutboxWriter outbox, PaymentContractMapper contract, PaymentReadModel readModel,
                                  RefundReadModel refunds, PendingCompletions pendingCompletions) {
        this.pendingCompletions = pendingCompletions;
        this.refunds = refunds;
        this.stream = new EventStream<>(database, "payment_events", "payment_id", STORED_EVENTS);
        this.database = database;
        this.outbox = outbox;
        this.contract = contract;
        this.readModel = readModel;
    }

    @Override
    public Mono<Payment> append(Payment current, List<PaymentEvent> events, IdempotentRequest request, String effect) {
        return Mono.defer(() -> {
            Payment state = current;
            long sequence = current == null ? 0 : current.version();
            List<EventStream.Recorded<PaymentEvent>> recorded = new ArrayList<>(events.size());
            List<OutboxMessage> messages = new ArrayList<>(events.size());
            for (PaymentEvent event : events) {
                state = Payment.evolve(state, event);
                RecordedPaymentEvent record = new RecordedPaymentEvent(newEventId(), ++sequence, event);
                recorded.add(new EventStream.Recorded<>(record.eventId(), record.sequence(), event));
                messages.add(contract.toOutboxMessage(record, state));
            }
            Payment after = state;
            AppendStatement append = new AppendStatement(database, "events")
                    .rows("events", stream.rows(recorded, after.merchantId()))
                    .rows("outbox", outbox.rows(messages))
                    .rows("read_model", readModel.row(after))
                    .rows("refunds", refunds.rows(after.merchantId(), events));
            pendingCompletions.addTo(append, current, after.merchantId(), events);
            holdOnInvoice(append, current, after);
            if (request != null) {
                append.answering(request, effect);
            }
            return append.execute()
                    .onErrorMap(ConcurrentAppend.class, conflict -> new ConcurrentPaymentChange(after.id(), conflict))
                    .onErrorMap(R2dbcPaymentEventStore::refusedByTheInvoiceGuard, refused -> new InvoiceDueExceeded(after.details().invoiceId(), refused))
                    .doOnSuccess(done -> outbox.rowsWritten())
                    .thenReturn(after);
        });
    }

    /**
     * Payments of one merchant rebuilt from their events, read in one query: for work on many payments at
     * once (a settlement page). In the order of their ids; ids that name no payment of the merchant are left out.
     */
    public Mono<List<Payment>> loadAll(List<String> ids, String merchantId) {
        return stream.histories(ids, merchantId)
                .bufferUntilChanged(recorded -> recorded.event().paymentId())
                .map(history -> Payment.replay(history.stream().map(EventStream.Recorded::event).toList()))
                .collectList();
    }

    /**
     * Adds to {@code append} the settlement of many payments of one merchant: each one's
     * {@code payment.settled} event after its state {@code before} (same order), the events' outbox rows and
     * the read model's settlement ids. The events' primary key refuses a payment that changed since
     * {@code before} was read, which fails the whole append ({@link ConcurrentAppend}). Returns the payments
     * as the events leave them; the caller calls {@link OutboxWriter#rowsWritten()} once the append committed.
     */
    public List<Payment> addSettled(AppendStatement append, String merchantId, List<Payment> before, List<PaymentSettled> events) {
        List<EventStream.Recorded<PaymentEvent>> recorded = new ArrayList<>(events.size());
        List<OutboxMessage> messages = new ArrayList<>(events.size());
        List<Payment> after = new ArrayList<>(events.size());
        for (int index = 0; index < events.size(); index++) {
            Payment payment = before.get(index);
            PaymentSettled event = events.get(index);
            Payment settled = Payment.evolve(payment, event);
            RecordedPaymentEvent record = new RecordedPaymentEvent(newEventId(), settled.version(), event);
            recorded.add(new EventStream.Recorded<>(record.eventId(), record.sequence(), event));
            messages.add(contract.toOutboxMessage(record, settled));
            after.add(settled);
        }
        append.rows("events", stream.rows(recorded, merchantId))
                .rows("outbox", outbox.rows(messages))
                .part("read_model", readModel.settled("read_model", after));
        return after;
    }

    @Override
    public Mono<Payment> load(PaymentId id, String merchantId) {
        return history(id, merchantId).map(RecordedPaymentEvent::event).collectList()
                .filter(history -> !history.isEmpty())
                .map(Payment::replay);
    }

    @Override
    public Flux<RecordedPaymentEvent> history(PaymentId id, String merchantId) {
        return stream.history(id.value(), merchantId)
                .map(recorded -> new RecordedPaymentEvent(recorded.eventId(), recorded.sequence(), recorded.event()));
    }

    /**
     * Keeps what the payment holds against its invoice in the invoice's projection row, in the append
     * itself: the row's trigger refuses an increase past the invoice's amount, which rolls the whole
     * append back, so two payments racing for the same invoice can never both be recorded.
     */
    private static void holdOnInvoice(AppendStatement append, Payment before, Payment after) {
        String invoiceId = after.details().invoiceId();
        long change = after.amountHeldForInvoice() - (before == null ? 0 : before.amountHeldForInvoice());
        if (invoiceId == null || change == 0) {
            return;
        }
        append.part("invoice_hold", SqlPart.of("""
                UPDATE invoice_projection SET amount_held = amount_held + :hold_change
                WHERE merchant_id = :hold_merchant AND invoice_id = :hold_invoice""" + " AND " + AppendStatement.FENCED,
                Map.of("hold_change", Parameter.from(change), "hold_merchant", Parameter.from(after.merchantId()),
                        "hold_invoice", Parameter.from(invoiceId))));
    }

    private static boolean refusedByTheInvoiceGuard(Throwable failure) {
        return CauseChain.first(failure, cause -> cause.getMessage() != null
                && cause.getMessage().contains("payments would exceed what is due on invoice")).isPresent();
    }

    private static String newEventId() {
        return TimeOrderedIds.newId("evt_");
    }

}
