package dev.paystream.payment.payment.adapter.r2dbc;

import dev.paystream.payment.payment.adapter.kafka.PaymentEventTranslator;
import dev.paystream.payment.payment.application.ConcurrentPaymentChange;
import dev.paystream.payment.payment.application.PaymentEventStore;
import dev.paystream.payment.payment.application.PendingCompletion;
import dev.paystream.payment.payment.application.RecordedPaymentEvent;
import dev.paystream.payment.payment.domain.Payment;
import dev.paystream.payment.payment.domain.PaymentEvent;
import dev.paystream.payment.payment.domain.PaymentId;
import dev.paystream.platform.ids.TimeOrderedIds;
import dev.paystream.platform.outbox.OutboxMessage;
import dev.paystream.platform.outbox.OutboxWriter;
import io.r2dbc.postgresql.codec.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The payment event store on PostgreSQL. One append is one transaction holding the new events, their
 * outbox rows and the read-model row, so a payment that is visible is also sure to be published.
 */
public final class R2dbcPaymentEventStore implements PaymentEventStore {

    private final DatabaseClient database;
    private final TransactionalOperator transactions;
    private final OutboxWriter outbox;
    private final PaymentEventTranslator translator;
    private final PaymentReadModel readModel;
    private final StoredPaymentEventCodec codec = new StoredPaymentEventCodec();
    private final PendingCompletions pendingCompletions;

    public R2dbcPaymentEventStore(DatabaseClient database, TransactionalOperator transactions, OutboxWriter outbox,
                                  PaymentEventTranslator translator, PaymentReadModel readModel, Duration completionDelay) {
        this.pendingCompletions = new PendingCompletions(database, completionDelay);
        this.database = database;
        this.transactions = transactions;
        this.outbox = outbox;
        this.translator = translator;
        this.readModel = readModel;
    }

    @Override
    public Mono<Payment> append(Payment current, List<PaymentEvent> events) {
        return Mono.defer(() -> {
            Payment state = current;
            long sequence = current == null ? 0 : current.version();
            List<RecordedPaymentEvent> recorded = new ArrayList<>(events.size());
            List<OutboxMessage> messages = new ArrayList<>(events.size());
            for (PaymentEvent event : events) {
                state = Payment.evolve(state, event);
                RecordedPaymentEvent record = new RecordedPaymentEvent(newEventId(), ++sequence, event);
                recorded.add(record);
                messages.add(translator.toOutboxMessage(record, state));
            }
            Payment after = state;
            Mono<Void> append = appendStatement(recorded, messages, after).then();
            // One statement is atomic by itself; only asynchronous payments add a second, and a transaction.
            Mono<Void> writes = pendingCompletions.apply(current, after.merchantId(), events)
                    .map(pending -> transactions.transactional(append.then(pending)))
                    .orElse(append);
            return writes
                    .onErrorMap(DuplicateKeyException.class, conflict -> new ConcurrentPaymentChange(after.id(), conflict))
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
    public Flux<PendingCompletion> dueCompletions(int limit) {
        return pendingCompletions.due(limit);
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

    /**
     * The events, their outbox rows and the read-model row of one append, as one statement: a
     * data-modifying WITH runs all its parts or none, in one round trip to the database.
     */
    private DatabaseClient.GenericExecuteSpec appendStatement(List<RecordedPaymentEvent> records, List<OutboxMessage> messages, Payment after) {
        OutboxWriter.Insert outboxRows = outbox.insert(messages);
        StringBuilder sql = new StringBuilder("WITH appended_events AS (")
                .append("INSERT INTO payment_events (payment_id, sequence, event_id, event_type, merchant_id, payload, occurred_at) VALUES ");
        for (int i = 0; i < records.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:paymentId").append(i).append(", :sequence").append(i).append(", :eventId").append(i)
                    .append(", :type").append(i).append(", :merchantId, :payload").append(i).append(", :occurredAt").append(i).append(')');
        }
        sql.append(" RETURNING 1), outbox_rows AS (").append(outboxRows.sql()).append(" RETURNING 1) ").append(PaymentReadModel.UPSERT);
        DatabaseClient.GenericExecuteSpec statement = database.sql(sql.toString());
        for (int i = 0; i < records.size(); i++) {
            RecordedPaymentEvent record = records.get(i);
            PaymentEvent event = record.event();
            statement = statement.bind("paymentId" + i, event.paymentId().value())
                    .bind("sequence" + i, record.sequence())
                    .bind("eventId" + i, record.eventId())
                    .bind("type" + i, codec.type(event))
                    .bind("payload" + i, Json.of(codec.encode(event)))
                    .bind("occurredAt" + i, event.occurredAt());
        }
        for (var binding : outboxRows.bindings().entrySet()) {
            statement = statement.bind(binding.getKey(), binding.getValue());
        }
        // Binds :merchantId too, which the events share with the read-model row.
        return readModel.bindUpsert(statement, after);
    }

    private static String newEventId() {
        return TimeOrderedIds.newId("evt_");
    }

}
