package dev.paystream.payment.payment.adapter.kafka;

import dev.paystream.events.EventEnvelope;
import dev.paystream.events.EventTypes;
import dev.paystream.events.Topics;
import dev.paystream.events.v1.CardV1;
import dev.paystream.events.v1.PaymentAuthorizedV1;
import dev.paystream.events.v1.PaymentCanceledV1;
import dev.paystream.events.v1.PaymentCapturedV1;
import dev.paystream.events.v1.PaymentDeclinedV1;
import dev.paystream.events.v1.PaymentFailedV1;
import dev.paystream.events.v1.PaymentProcessingV1;
import dev.paystream.events.v1.PaymentRefundedV1;
import dev.paystream.events.v1.PaymentV1;
import dev.paystream.events.v1.RefundV1;
import dev.paystream.payment.payment.application.RecordedPaymentEvent;
import dev.paystream.payment.payment.domain.CardSummary;
import dev.paystream.payment.payment.domain.Payment;
import dev.paystream.payment.payment.domain.PaymentEvent;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentAuthorized;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentCanceled;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentCaptured;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentDeclined;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentFailed;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentProcessingStarted;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentRefunded;
import dev.paystream.platform.outbox.OutboxMessage;
import tools.jackson.databind.json.JsonMapper;

/**
 * Maps domain events to the public v1 contracts of shared-events. Domain events never leave the
 * service as they are: this is the one place where their wire shape is decided.
 */
public final class PaymentEventTranslator {

    static final int CONTRACT_VERSION = 1;

    private final JsonMapper jsonMapper;

    public PaymentEventTranslator(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    /** The outbox row announcing {@code recorded}; {@code after} is the payment once the event applied. */
    public OutboxMessage toOutboxMessage(RecordedPaymentEvent recorded, Payment after) {
        EventEnvelope<Object> envelope = toEnvelope(recorded, after);
        return new OutboxMessage(envelope.id(), Topics.PAYMENTS, envelope.aggregateId(), envelope.type(),
                jsonMapper.writeValueAsString(envelope));
    }

    public EventEnvelope<Object> toEnvelope(RecordedPaymentEvent recorded, Payment after) {
        PaymentEvent event = recorded.event();
        return new EventEnvelope<>(recorded.eventId(), typeOf(event), CONTRACT_VERSION, event.paymentId().value(),
                recorded.sequence(), after.merchantId(), event.occurredAt(), data(event, toContract(after)));
    }

    public static String typeOf(PaymentEvent event) {
        if (event instanceof PaymentProcessingStarted) {
            return EventTypes.PAYMENT_PROCESSING;
        }
        if (event instanceof PaymentAuthorized) {
            return EventTypes.PAYMENT_AUTHORIZED;
        }
        if (event instanceof PaymentDeclined) {
            return EventTypes.PAYMENT_DECLINED;
        }
        if (event instanceof PaymentCaptured) {
            return EventTypes.PAYMENT_CAPTURED;
        }
        if (event instanceof PaymentCanceled) {
            return EventTypes.PAYMENT_CANCELED;
        }
        if (event instanceof PaymentFailed) {
            return EventTypes.PAYMENT_FAILED;
        }
        if (event instanceof PaymentRefunded) {
            return EventTypes.PAYMENT_REFUNDED;
        }
        throw new IllegalArgumentException("no contract type for " + event.getClass().getSimpleName());
    }

    private static Object data(PaymentEvent event, PaymentV1 payment) {
        if (event instanceof PaymentProcessingStarted started) {
            return new PaymentProcessingV1(started.details().amount().amountMinor(), payment.currency(), payment);
        }
        if (event instanceof PaymentAuthorized authorized) {
            return new PaymentAuthorizedV1(authorized.details().amount().amountMinor(), payment.currency(), payment);
        }
        if (event instanceof PaymentDeclined declined) {
            return new PaymentDeclinedV1(declined.details().amount().amountMinor(), payment.currency(), declined.declineCode(), payment);
        }
        if (event instanceof PaymentCaptured captured) {
            return new PaymentCapturedV1(captured.amount().amountMinor(), captured.amount().currencyCode(), payment);
        }
        if (event instanceof PaymentFailed failed) {
            return new PaymentFailedV1(failed.details().amount().amountMinor(), payment.currency(), failed.failureCode(), payment);
        }
        if (event instanceof PaymentCanceled canceled) {
            return new PaymentCanceledV1(canceled.amountReleased().amountMinor(), canceled.amountReleased().currencyCode(), payment);
        }
        PaymentRefunded refunded = (PaymentRefunded) event;
        return new PaymentRefundedV1(refunded.amount().amountMinor(), refunded.amount().currencyCode(), toRefund(refunded), payment);
    }

    /** A refund in its public shape, as {@code POST /v1/payments/{id}/refunds} returns it. */
    public static RefundV1 toRefund(PaymentRefunded refunded) {
        return new RefundV1(refunded.refundId(), refunded.paymentId().value(), refunded.amount().amountMinor(),
                refunded.amount().currencyCode(), refunded.reason(), "succeeded", refunded.occurredAt());
    }

    /** The payment in its public shape, the same as the HTTP API's payment object. */
    public static PaymentV1 toContract(Payment payment) {
        var details = payment.details();
        CardSummary card = details.card();
        return new PaymentV1(payment.id().value(), payment.status().wireName(), details.amount().amountMinor(),
                payment.amountCapturable(), payment.amountCaptured(), payment.amountRefunded(),
                details.amount().currencyCode(), details.method().wireName(),
                card == null ? null : new CardV1(card.brand(), card.last4(), card.expMonth(), card.expYear()),
                details.customerId(), details.invoiceId(), details.description(), details.metadata(),
                payment.authCode(), payment.declineCode(), payment.failureCode(), null, payment.createdAt(), payment.updatedAt());
    }
}
