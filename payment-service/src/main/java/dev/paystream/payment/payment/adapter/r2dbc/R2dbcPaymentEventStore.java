package dev.paystream.payment.payment.adapter.r2dbc;

import dev.paystream.payment.payment.adapter.contract.PaymentContractMapper;
import dev.paystream.payment.payment.application.ConcurrentPaymentChange;
import dev.paystream.payment.payment.application.PaymentEventStore;
import dev.paystream.payment.payment.application.RecordedPaymentEvent;
import dev.paystream.payment.payment.domain.Payment;
import dev.paystream.payment.payment.domain.PaymentEvent;
import dev.paystream.payment.payment.domain.PaymentId;
import dev.paystream.platform.ids.TimeOrderedIds;
import dev.paystream.platform.outbox.OutboxMessage;
import dev.paystream.platform.idempotency.IdempotentRequest;
import dev.paystream.platform.outbox.OutboxWriter;
import dev.paystream.platform.store.AppendStatement;
import dev.paystream.platform.store.ConcurrentAppend;
import dev.paystream.platform.store.TableRows;
import io.r2dbc.postgresql.codec.Json;
import java.util.ArrayList;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The payment event store on PostgreSQL. One append is one statement ({@link AppendStatement}) holding
 * the new events, their outbox rows, the read-model row, the pending-completion row and the effect on
 * the request's idempotency key, so a payment that is visible is also sure to be published, and a
 * retry of the request that created it finds it.
 */
public final class R2dbcPaymentEventStore implements PaymentEventStore {

    private final DatabaseClient database;
    private final OutboxWriter outbox;
    private final PaymentContractMapper contract;
    private final PaymentReadModel readModel;
    private final StoredPaymentEventCodec codec = new StoredPaymentEventCodec();
    private final PendingCompletions pendingCompletions;

    public R2dbcPaymentEventStore(DatabaseClient database, OutboxWriter outbox,
                                  PaymentContractMapper contract, PaymentReadModel readModel, PendingCompletions pendingCompletions) {
        this.pendingCompletions = pendingCompletions;
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
            TableRows eventRows = TableRows.into("payment_events", "payment_id", "sequence", "event_id", "event_type", "merchant_id",
                    "payload", "occurred_at");
            List<OutboxMessage> messages = new ArrayList<>(events.size());
            for (PaymentEvent event : events) {
                state = Payment.evolve(state, event);
                RecordedPaymentEvent record = new RecordedPaymentEvent(newEventId(), ++sequence, event);
                eventRows.row(event.paymentId().value(), record.sequence(), record.eventId(), codec.type(event), state.merchantId(),
                        Json.of(codec.encode(event)), event.occurredAt());
                messages.add(contract.toOutboxMessage(record, state));
            }
            Payment after = state;
            AppendStatement append = new AppendStatement(database, "events")
                    .rows("events", eventRows)
                    .rows("outbox", outbox.rows(messages))
                    .rows("read_model", readModel.row(after));
            pendingCompletions.addTo(append, current, after.merchantId(), events);
            if (request != null) {
                append.answering(request, effect);
            }
            return append.execute()
                    .onErrorMap(ConcurrentAppend.class, conflict -> new ConcurrentPaymentChange(after.id(), conflict))
                    .doOnSuccess(done -> outbox.rowsWritten())
                    .thenReturn(after);
        });
    }

    @Override
    public Mono<Payment> load(PaymentId id, String merchantId) {
        return history(id, merchantId).map(RecordedPaymentEvent::event).collectList()
                .filter(history -> !history.isEmpty())
                .map(Payment::replay);
    }

    @Override
    public Flux<RecordedPaymentEvent> history(PaymentId id, String merchantId) {
        return database.sql("""
                        SELECT event_id, sequence, event_type, payload::text AS payload FROM payment_events
                        WHERE payment_id = :id AND merchant_id = :merchantId ORDER BY sequence""")
                .bind("id", id.value())
                .bind("merchantId", merchantId)
                .map(row -> new RecordedPaymentEvent(row.get("event_id", String.class), row.get("sequence", Long.class),
                        codec.decode(row.get("event_type", String.class), row.get("payload", String.class))))
                .all();
    }

    private static String newEventId() {
        return TimeOrderedIds.newId("evt_");
    }

}
