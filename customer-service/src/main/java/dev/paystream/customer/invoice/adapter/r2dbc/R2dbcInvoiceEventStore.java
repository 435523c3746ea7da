package dev.paystream.customer.invoice.adapter.r2dbc;

import dev.paystream.customer.invoice.adapter.contract.InvoiceContractMapper;
import dev.paystream.customer.invoice.application.ConcurrentInvoiceChange;
import dev.paystream.customer.invoice.application.InvoiceEventStore;
import dev.paystream.customer.invoice.application.RecordedInvoiceEvent;
import dev.paystream.customer.invoice.domain.AppliedPayment;
import dev.paystream.customer.invoice.domain.Invoice;
import dev.paystream.customer.invoice.domain.InvoiceEvent;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoicePaymentApplied;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoicePaymentReversed;
import dev.paystream.customer.invoice.domain.InvoiceId;
import dev.paystream.platform.ids.TimeOrderedIds;
import dev.paystream.platform.outbox.OutboxMessage;
import dev.paystream.platform.outbox.OutboxWriter;
import dev.paystream.platform.store.AppendStatement;
import dev.paystream.platform.store.ConcurrentAppend;
import dev.paystream.platform.store.EventStream;
import dev.paystream.platform.store.JsonEventCodec;
import dev.paystream.events.EventTypes;
import java.util.Map;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The invoice event store on PostgreSQL. One append is one statement ({@link AppendStatement}) holding
 * the new events (the platform's {@code invoice_events} stream), their outbox rows, the invoice's
 * read-model row and the rows of the payments the events changed, so an invoice that is visible is
 * also sure to be published.
 */
public final class R2dbcInvoiceEventStore implements InvoiceEventStore {

    /** How invoice events are kept in {@code invoice_events.payload}: under their contract type names. */
    static final JsonEventCodec<InvoiceEvent> STORED_EVENTS = new JsonEventCodec<>(InvoiceEvent.class, Map.of(
            EventTypes.INVOICE_CREATED, InvoiceEvent.InvoiceCreated.class,
            EventTypes.INVOICE_UPDATED, InvoiceEvent.InvoiceUpdated.class,
            EventTypes.INVOICE_PAYMENT_APPLIED, InvoiceEvent.InvoicePaymentApplied.class,
            EventTypes.INVOICE_PAYMENT_REVERSED, InvoiceEvent.InvoicePaymentReversed.class,
            EventTypes.INVOICE_PAID, InvoiceEvent.InvoicePaid.class,
            EventTypes.INVOICE_REOPENED, InvoiceEvent.InvoiceReopened.class,
            EventTypes.INVOICE_VOIDED, InvoiceEvent.InvoiceVoided.class),
            event -> event.invoiceId().value(), InvoiceEvent::occurredAt);

    private final DatabaseClient database;
    private final OutboxWriter outbox;
    private final InvoiceContractMapper contract;
    private final InvoiceReadModel readModel;
    private final EventStream<InvoiceEvent> stream;

    public R2dbcInvoiceEventStore(DatabaseClient database, OutboxWriter outbox, InvoiceContractMapper contract, InvoiceReadModel readModel) {
        this.database = database;
        this.outbox = outbox;
        this.contract = contract;
        this.readModel = readModel;
        this.stream = new EventStream<>(database, "invoice_events", "invoice_id", STORED_EVENTS);
    }

    @Override
    public Mono<Invoice> append(Invoice current, List<InvoiceEvent> events) {
        return Mono.defer(() -> {
            Invoice state = current;
            long sequence = current == null ? 0 : current.version();
            List<EventStream.Recorded<InvoiceEvent>> recorded = new ArrayList<>(events.size());
            List<OutboxMessage> messages = new ArrayList<>(events.size());
            Set<String> paymentsChanged = new LinkedHashSet<>();
            for (InvoiceEvent event : events) {
                state = Invoice.evolve(state, event);
                RecordedInvoiceEvent record = new RecordedInvoiceEvent(TimeOrderedIds.newId("evt_"), ++sequence, event);
                recorded.add(new EventStream.Recorded<>(record.eventId(), record.sequence(), event));
                messages.add(contract.toOutboxMessage(record, state));
                if (event instanceof InvoicePaymentApplied applied) {
                    paymentsChanged.add(applied.paymentId());
                } else if (event instanceof InvoicePaymentReversed reversed) {
                    paymentsChanged.add(reversed.paymentId());
                }
            }
            Invoice after = state;
            List<AppliedPayment> payments = paymentsChanged.stream().map(after.payments()::get).toList();
            return new AppendStatement(database, "events")
                    .rows("events", stream.rows(recorded, after.merchantId()))
                    .rows("outbox", outbox.rows(messages))
                    .rows("read_model", readModel.row(after))
                    .rows("payments", readModel.paymentRows(after, payments))
                    .execute()
                    .onErrorMap(ConcurrentAppend.class, conflict -> new ConcurrentInvoiceChange(after.id(), conflict))
                    .doOnSuccess(done -> outbox.rowsWritten())
                    .thenReturn(after);
        });
    }

    @Override
    public Mono<Invoice> load(InvoiceId id, String merchantId) {
        return history(id, merchantId).map(RecordedInvoiceEvent::event).collectList()
                .filter(history -> !history.isEmpty())
                .map(Invoice::replay);
    }

    @Override
    public Flux<RecordedInvoiceEvent> history(InvoiceId id, String merchantId) {
        return stream.history(id.value(), merchantId)
                .map(recorded -> new RecordedInvoiceEvent(recorded.eventId(), recorded.sequence(), recorded.event()));
    }
}
