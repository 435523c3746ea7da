package dev.paystream.ledger.journal.application;

import dev.paystream.events.EventTypes;
import dev.paystream.events.v1.PaymentAuthorizedV1;
import dev.paystream.events.v1.PaymentCapturedV1;
import java.time.Instant;
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

    static IncomingEvent authorized(long amount, String currency) {
        return event(EventTypes.PAYMENT_AUTHORIZED, 1, new PaymentAuthorizedV1(amount, currency, null));
    }

    static IncomingEvent event(String type, int version, Object data) {
        return new IncomingEvent("evt_6d3a8e2f9c4b1a7e", type, version, PAYMENT_ID, MERCHANT_ID, OCCURRED_AT,
                new FixedData(data), "paystream.payments.v1-0@0");
    }

    static IncomingEvent withoutMerchant(IncomingEvent event) {
        return new IncomingEvent(event.id(), event.type(), event.version(), event.aggregateId(), null, event.occurredAt(),
                event.data(), event.origin());
    }

    static IncomingEvent withoutOccurredAt(IncomingEvent event) {
        return new IncomingEvent(event.id(), event.type(), event.version(), event.aggregateId(), event.merchantId(), null,
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
