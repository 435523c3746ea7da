package dev.paystream.payment.payout.adapter.contract;

import dev.paystream.events.EventEnvelope;
import dev.paystream.events.EventTypes;
import dev.paystream.events.Topics;
import dev.paystream.events.v1.PayoutCreatedV1;
import dev.paystream.events.v1.PayoutFailedV1;
import dev.paystream.events.v1.PayoutPaidV1;
import dev.paystream.events.v1.PayoutV1;
import dev.paystream.payment.payout.application.RecordedPayoutEvent;
import dev.paystream.payment.payout.domain.Payout;
import dev.paystream.payment.payout.domain.PayoutEvent;
import dev.paystream.payment.payout.domain.PayoutEvent.PayoutCreated;
import dev.paystream.payment.payout.domain.PayoutEvent.PayoutFailed;
import dev.paystream.payment.payout.domain.PayoutEvent.PayoutPaid;
import dev.paystream.platform.outbox.OutboxMessage;
import tools.jackson.databind.json.JsonMapper;

/**
 * Payout events and payouts in their public v1 shapes of shared-events: the one place where their wire
 * shape is decided. Payout events go to {@code paystream.payments.v1}, keyed by the payout id (CONTRACT §11).
 */
public final class PayoutContractMapper {

    static final int CONTRACT_VERSION = 1;

    private final JsonMapper jsonMapper;

    public PayoutContractMapper(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    /** The outbox row announcing {@code recorded}; {@code after} is the payout once the event applied. */
    public OutboxMessage toOutboxMessage(RecordedPayoutEvent recorded, Payout after) {
        EventEnvelope<Object> envelope = toEnvelope(recorded, after);
        return new OutboxMessage(envelope.id(), Topics.PAYMENTS, envelope.aggregateId(), envelope.type(),
                jsonMapper.writeValueAsString(envelope));
    }

    public EventEnvelope<Object> toEnvelope(RecordedPayoutEvent recorded, Payout after) {
        PayoutEvent event = recorded.event();
        PayoutV1 payout = toContract(after);
        return new EventEnvelope<>(recorded.eventId(), typeOf(event), CONTRACT_VERSION, event.payoutId().value(), recorded.sequence(),
                after.merchantId(), event.occurredAt(), event.accept(new PayoutEvent.Visitor<Object>() {
                    @Override
                    public Object created(PayoutCreated created) {
                        return new PayoutCreatedV1(payout.amount(), payout.currency(), payout);
                    }

                    @Override
                    public Object paid(PayoutPaid paid) {
                        return new PayoutPaidV1(payout.amount(), payout.currency(), payout);
                    }

                    @Override
                    public Object failed(PayoutFailed failed) {
                        return new PayoutFailedV1(payout.amount(), payout.currency(), failed.failureCode(), payout);
                    }
                }));
    }

    public static String typeOf(PayoutEvent event) {
        return event.accept(TYPE_NAMES);
    }

    private static final PayoutEvent.Visitor<String> TYPE_NAMES = new PayoutEvent.Visitor<>() {
        @Override
        public String created(PayoutCreated event) {
            return EventTypes.PAYOUT_CREATED;
        }

        @Override
        public String paid(PayoutPaid event) {
            return EventTypes.PAYOUT_PAID;
        }

        @Override
        public String failed(PayoutFailed event) {
            return EventTypes.PAYOUT_FAILED;
        }
    };

    /** The payout in its public shape, the same as the HTTP API's payout object. */
    public static PayoutV1 toContract(Payout payout) {
        var details = payout.details();
        return new PayoutV1(payout.id().value(), payout.status().wireName(), details.customerId(), details.amount().amountMinor(),
                details.amount().currencyCode(), details.method().wireName(), details.description(), details.metadata(),
                payout.failureCode(), payout.createdAt(), payout.updatedAt());
    }
}
