package dev.paystream.customer.invoice.adapter.r2dbc;

import dev.paystream.customer.invoice.adapter.contract.InvoiceContractMapper;
import dev.paystream.customer.invoice.domain.InvoiceEvent;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoiceCreated;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoicePaid;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoicePaymentApplied;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoicePaymentReversed;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoiceReopened;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoiceUpdated;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoiceVoided;
import dev.paystream.events.EventTypes;
import dev.paystream.platform.store.EventStream;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * How invoice events are kept in {@code invoice_events.payload}: the records' own fields as JSON, under
 * the contract's type name. This format is private to the service; renaming a field of a domain event
 * means migrating stored events (or keeping an alias), which is why the records stay small.
 */
final class StoredInvoiceEventCodec implements EventStream.Codec<InvoiceEvent> {

    private static final Map<String, Class<? extends InvoiceEvent>> TYPES = Map.of(
            EventTypes.INVOICE_CREATED, InvoiceCreated.class,
            EventTypes.INVOICE_UPDATED, InvoiceUpdated.class,
            EventTypes.INVOICE_PAYMENT_APPLIED, InvoicePaymentApplied.class,
            EventTypes.INVOICE_PAYMENT_REVERSED, InvoicePaymentReversed.class,
            EventTypes.INVOICE_PAID, InvoicePaid.class,
            EventTypes.INVOICE_REOPENED, InvoiceReopened.class,
            EventTypes.INVOICE_VOIDED, InvoiceVoided.class);

    private final JsonMapper storage = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    @Override
    public String type(InvoiceEvent event) {
        return InvoiceContractMapper.typeOf(event);
    }

    @Override
    public String encode(InvoiceEvent event) {
        return storage.writeValueAsString(event);
    }

    @Override
    public InvoiceEvent decode(String type, String payload) {
        Class<? extends InvoiceEvent> eventClass = TYPES.get(type);
        if (eventClass == null) {
            throw new IllegalStateException("unknown stored invoice event type " + type);
        }
        return storage.readValue(payload, eventClass);
    }

    @Override
    public String aggregateId(InvoiceEvent event) {
        return event.invoiceId().value();
    }

    @Override
    public Instant occurredAt(InvoiceEvent event) {
        return event.occurredAt();
    }
}
