package dev.paystream.payment.payment.adapter.contract;

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
import dev.paystream.events.v1.PaymentSettledV1;
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
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentSettled;
import dev.paystream.platform.outbox.OutboxMessage;
import tools.jackson.databind.json.JsonMapper;

/**
 * The contract mapper: domain events and payments in their public v1 shapes of shared-events (the
 * Kafka envelopes and the HTTP API objects alike). Domain events never leave the
 * service as they are: this is the one place where their wire shape is decided.
 */
public final class PaymentContractMapper {

    static final int CONTRACT_VERSION = 1;

    private final JsonMapper jsonMapper;

    public PaymentContractMapper(JsonMapper jsonMapper) {
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
        return event.accept(TYPE_NAMES);
    }

    /** The contract's type name of each kind of event. */
    private static final PaymentEvent.Visitor<String> TYPE_NAMES = new PaymentEvent.Visitor<>() {
        @Override
        public String processingStarted(PaymentProcessingStarted event) {
            return EventTypes.PAYMENT_PROCESSING;
        }

        @Override
        public String authorized(PaymentAuthorized event) {
            return EventTypes.PAYMENT_AUTHORIZED;
        }

        @Override
        public String declined(PaymentDeclined event) {
            return EventTypes.PAYMENT_DECLINED;
        }

        @Override
        public String failed(PaymentFailed event) {
            return EventTypes.PAYMENT_FAILED;
        }

        @Override
        public String captured(PaymentCaptured event) {
            return EventTypes.PAYMENT_CAPTURED;
        }

        @Override
        public String canceled(PaymentCanceled event) {
            return EventTypes.PAYMENT_CANCELED;
        }

        @Override
        public String refunded(PaymentRefunded event) {
            return EventTypes.PAYMENT_REFUNDED;
        }

        @Override
        public String settled(PaymentSettled event) {
            return EventTypes.PAYMENT_SETTLED;
        }
    };

    /** The event's {@code data} in the contract: its own fields and the payment as it left it. */
    private static Object data(PaymentEvent event, PaymentV1 payment) {
        return event.accept(new PaymentEvent.Visitor<>() {
            @Override
            public Object processingStarted(PaymentProcessingStarted started) {
                return new PaymentProcessingV1(started.details().amount().amountMinor(), payment.currency(), payment);
            }

            @Override
            public Object authorized(PaymentAuthorized authorized) {
                return new PaymentAuthorizedV1(authorized.details().amount().amountMinor(), payment.currency(), payment);
            }

            @Override
            public Object declined(PaymentDeclined declined) {
                return new PaymentDeclinedV1(declined.details().amount().amountMinor(), payment.currency(), declined.declineCode(), payment);
            }

            @Override
            public Object failed(PaymentFailed failed) {
                return new PaymentFailedV1(failed.details().amount().amountMinor(), payment.currency(), failed.failureCode(), payment);
            }

            @Override
            public Object captured(PaymentCaptured captured) {
                return new PaymentCapturedV1(captured.amount().amountMinor(), captured.amount().currencyCode(), payment);
            }

            @Override
            public Object canceled(PaymentCanceled canceled) {
                return new PaymentCanceledV1(canceled.amountReleased().amountMinor(), canceled.amountReleased().currencyCode(), payment);
            }

            @Override
            public Object refunded(PaymentRefunded refunded) {
                return new PaymentRefundedV1(refunded.amount().amountMinor(), refunded.amount().currencyCode(), toRefund(refunded), payment);
            }

            @Override
            public Object settled(PaymentSettled settled) {
                return new PaymentSettledV1(settled.settlementId(), settled.amount().amountMinor(), settled.fee().amountMinor(),
                        settled.amount().amountMinor() - settled.fee().amountMinor(), settled.amount().currencyCode(), payment);
            }
        });
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
                payment.authCode(), payment.declineCode(), payment.failureCode(), payment.settlementId(), payment.createdAt(),
                payment.updatedAt());
    }
}
