package dev.paystream.ledger.journal.application;

import dev.paystream.events.EventTypes;
import dev.paystream.events.v1.PaymentAuthorizedV1;
import dev.paystream.events.v1.PaymentCapturedV1;
import dev.paystream.events.v1.PaymentRefundedV1;
import dev.paystream.events.v1.PaymentSettledV1;
import dev.paystream.events.v1.PayoutCreatedV1;
import dev.paystream.events.v1.PayoutFailedV1;
import dev.paystream.events.v1.PayoutPaidV1;
import dev.paystream.events.v1.PayoutV1;
import dev.paystream.events.v1.SettlementCompletedV1;
import dev.paystream.events.v1.SettlementV1;
import dev.paystream.events.v1.PaymentV1;
import dev.paystream.events.v1.RefundV1;
import dev.paystream.platform.consumer.EventData;
import dev.paystream.platform.consumer.IncomingEvent;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Incoming events for tests of the posting rules, their data already in contract form. */
final class IncomingEvents {

    static final String PAYMENT_ID = "pay_8c1e5a3f2d6b4e7a";
    static final String MERCHANT_ID = "mer_4f2a9c7e1b3d5a6c";
    static final Instant OCCURRED_AT = Instant.parse("2026-11-23T18:30:01Z");

    private IncomingEvents() {
    }

    static IncomingEvent captured(long amount, String currency) {
        return event(EventTypes.PAYMENT_CAPTURED, 1, new PaymentCapturedV1(amount, currency, null));
    }

    /**
     * One refund of {@code amount} of a payment that captured 5000 and, counting this refund, has
     * {@code refundedSoFar} refunded.
     */
    static IncomingEvent refunded(long amount, String currency, long refundedSoFar) {
        RefundV1 refund = new RefundV1("re_4d6f8a1c3e5b7d9f", PAYMENT_ID, amount, currency, "requested_by_customer", "succeeded",
                OCCURRED_AT);
        PaymentV1 payment = new PaymentV1(PAYMENT_ID, refundedSoFar < 5000 ? "partially_refunded" : "refunded", 5000, 0, 5000,
                refundedSoFar, currency, "card", null, "unixuser1", null, "Order #123", Map.of("order_id", "123"), "A1B2C3",
                null, null, null, OCCURRED_AT.minusSeconds(300), OCCURRED_AT);
        return event(EventTypes.PAYMENT_REFUNDED, 1, new PaymentRefundedV1(amount, currency, refund, payment));
    }

    static final String SETTLEMENT_ID = "st_9e1a3c5e7b9d2f4a";
    static final String PAYOUT_ID = "po_3b5d7f9a1c2e4a6b";

    /** A batch with these totals; {@code net} is given, not computed, so that a test can break the identity. */
    static IncomingEvent settlementCompleted(long gross, long refunded, long fee, long net, String currency) {
        SettlementV1 settlement = new SettlementV1(SETTLEMENT_ID, currency, "completed", 2, 1, gross, refunded, fee, net, OCCURRED_AT);
        return event(EventTypes.SETTLEMENT_COMPLETED, 1, SETTLEMENT_ID,
                new SettlementCompletedV1(currency, 2, 1, gross, refunded, fee, net, settlement));
    }

    static IncomingEvent paymentSettled(long amount, long fee, String currency) {
        return event(EventTypes.PAYMENT_SETTLED, 1, new PaymentSettledV1(SETTLEMENT_ID, amount, fee, amount - fee, currency, null));
    }

    static IncomingEvent payoutCreated(long amount, String currency) {
        return event(EventTypes.PAYOUT_CREATED, 1, PAYOUT_ID, new PayoutCreatedV1(amount, currency, payout("pending", amount, currency, null)));
    }

    static IncomingEvent payoutPaid(long amount, String currency) {
        return event(EventTypes.PAYOUT_PAID, 1, PAYOUT_ID, new PayoutPaidV1(amount, currency, payout("paid", amount, currency, null)));
    }

    static IncomingEvent payoutFailed(long amount, String currency) {
        return event(EventTypes.PAYOUT_FAILED, 1, PAYOUT_ID,
                new PayoutFailedV1(amount, currency, "account_closed", payout("failed", amount, currency, "account_closed")));
    }

    private static PayoutV1 payout(String status, long amount, String currency, String failureCode) {
        return new PayoutV1(PAYOUT_ID, status, "unixuser1", amount, currency, "bank_transfer", null, Map.of(), failureCode,
                OCCURRED_AT.minusSeconds(5), OCCURRED_AT);
    }

    static IncomingEvent authorized(long amount, String currency) {
        return event(EventTypes.PAYMENT_AUTHORIZED, 1, new PaymentAuthorizedV1(amount, currency, null));
    }

    static IncomingEvent event(String type, int version, Object data) {
        return event(type, version, PAYMENT_ID, data);
    }

    static IncomingEvent event(String type, int version, String aggregateId, Object data) {
        return new IncomingEvent("evt_6d3a8e2f9c4b1a7e", type, version, aggregateId, 1, MERCHANT_ID, OCCURRED_AT,
                new FixedData(data), "paystream.payments.v1-0@0");
    }

    static IncomingEvent withoutMerchant(IncomingEvent event) {
        return new IncomingEvent(event.id(), event.type(), event.version(), event.aggregateId(), event.sequence(), null, event.occurredAt(),
                event.data(), event.origin());
    }

    static IncomingEvent withoutOccurredAt(IncomingEvent event) {
        return new IncomingEvent(event.id(), event.type(), event.version(), event.aggregateId(), event.sequence(), event.merchantId(), null,
                event.data(), event.origin());
    }

    /** Data that reads as its own record type and as nothing else. */
    private record FixedData(Object data) implements EventData {

        @Override
        public <T> Optional<T> as(Class<T> contract) {
            return contract.isInstance(data) ? Optional.of(contract.cast(data)) : Optional.empty();
        }
    }
}
