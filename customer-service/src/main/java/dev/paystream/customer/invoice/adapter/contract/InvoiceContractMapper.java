package dev.paystream.customer.invoice.adapter.contract;

import dev.paystream.customer.invoice.application.RecordedInvoiceEvent;
import dev.paystream.customer.invoice.domain.Invoice;
import dev.paystream.customer.invoice.domain.InvoiceEvent;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoiceCreated;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoicePaid;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoicePaymentApplied;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoicePaymentReversed;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoiceReopened;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoiceUpdated;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoiceVoided;
import dev.paystream.customer.invoice.domain.InvoiceField;
import dev.paystream.events.EventEnvelope;
import dev.paystream.events.EventTypes;
import dev.paystream.events.Topics;
import dev.paystream.events.v1.InvoiceCreatedV1;
import dev.paystream.events.v1.InvoicePaidV1;
import dev.paystream.events.v1.InvoicePaymentAppliedV1;
import dev.paystream.events.v1.InvoicePaymentReversedV1;
import dev.paystream.events.v1.InvoiceReopenedV1;
import dev.paystream.events.v1.InvoiceUpdatedV1;
import dev.paystream.events.v1.InvoiceV1;
import dev.paystream.events.v1.InvoiceVoidedV1;
import dev.paystream.platform.outbox.OutboxMessage;
import tools.jackson.databind.json.JsonMapper;

/**
 * The contract mapper: invoice events and invoices in their public v1 shapes of shared-events (the
 * Kafka envelopes and the HTTP API's invoice object alike). Domain events never leave the service as
 * they are: this is the one place where their wire shape is decided.
 */
public final class InvoiceContractMapper {

    static final int CONTRACT_VERSION = 1;

    private final JsonMapper jsonMapper;

    public InvoiceContractMapper(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    /** The outbox row announcing {@code recorded} on {@code paystream.invoices.v1}; {@code after} is the invoice once the event applied. */
    public OutboxMessage toOutboxMessage(RecordedInvoiceEvent recorded, Invoice after) {
        EventEnvelope<Object> envelope = toEnvelope(recorded, after);
        return new OutboxMessage(envelope.id(), Topics.INVOICES, envelope.aggregateId(), envelope.type(),
                jsonMapper.writeValueAsString(envelope));
    }

    public EventEnvelope<Object> toEnvelope(RecordedInvoiceEvent recorded, Invoice after) {
        InvoiceEvent event = recorded.event();
        return new EventEnvelope<>(recorded.eventId(), typeOf(event), CONTRACT_VERSION, event.invoiceId().value(),
                recorded.sequence(), after.merchantId(), event.occurredAt(), data(event, toContract(after)));
    }

    public static String typeOf(InvoiceEvent event) {
        return event.accept(TYPE_NAMES);
    }

    /** The contract's type name of each kind of event. */
    private static final InvoiceEvent.Visitor<String> TYPE_NAMES = new InvoiceEvent.Visitor<>() {
        @Override
        public String created(InvoiceCreated event) {
            return EventTypes.INVOICE_CREATED;
        }

        @Override
        public String updated(InvoiceUpdated event) {
            return EventTypes.INVOICE_UPDATED;
        }

        @Override
        public String paymentApplied(InvoicePaymentApplied event) {
            return EventTypes.INVOICE_PAYMENT_APPLIED;
        }

        @Override
        public String paymentReversed(InvoicePaymentReversed event) {
            return EventTypes.INVOICE_PAYMENT_REVERSED;
        }

        @Override
        public String paid(InvoicePaid event) {
            return EventTypes.INVOICE_PAID;
        }

        @Override
        public String reopened(InvoiceReopened event) {
            return EventTypes.INVOICE_REOPENED;
        }

        @Override
        public String voided(InvoiceVoided event) {
            return EventTypes.INVOICE_VOIDED;
        }
    };

    /** The event's {@code data} in the contract: its own fields and the invoice as it left it. */
    private static Object data(InvoiceEvent event, InvoiceV1 invoice) {
        return event.accept(new InvoiceEvent.Visitor<>() {
            @Override
            public Object created(InvoiceCreated created) {
                return new InvoiceCreatedV1(created.terms().amount().amountMinor(), created.terms().amount().currencyCode(), invoice);
            }

            @Override
            public Object updated(InvoiceUpdated updated) {
                return new InvoiceUpdatedV1(updated.updatedFields().stream().map(InvoiceField::wireName).toList(), invoice);
            }

            @Override
            public Object paymentApplied(InvoicePaymentApplied applied) {
                return new InvoicePaymentAppliedV1(applied.paymentId(), applied.amount().amountMinor(), applied.amount().currencyCode(),
                        invoice);
            }

            @Override
            public Object paymentReversed(InvoicePaymentReversed reversed) {
                return new InvoicePaymentReversedV1(reversed.paymentId(), reversed.refundId(), reversed.amount().amountMinor(),
                        reversed.amount().currencyCode(), invoice);
            }

            @Override
            public Object paid(InvoicePaid paid) {
                return new InvoicePaidV1(paid.paymentId(), invoice);
            }

            @Override
            public Object reopened(InvoiceReopened reopened) {
                return new InvoiceReopenedV1(reopened.paymentId(), reopened.refundId(), invoice);
            }

            @Override
            public Object voided(InvoiceVoided voided) {
                return new InvoiceVoidedV1(invoice);
            }
        });
    }

    /** The invoice in its public shape, the same as the HTTP API's invoice object. */
    public static InvoiceV1 toContract(Invoice invoice) {
        var terms = invoice.terms();
        return new InvoiceV1(invoice.id().value(), invoice.status().wireName(), invoice.customerId(), terms.amount().amountMinor(),
                invoice.amountPaid().amountMinor(), invoice.amountDue().amountMinor(), terms.amount().currencyCode(),
                terms.description(), terms.dueDate(), terms.metadata(), invoice.createdAt(), invoice.updatedAt());
    }
}
