package dev.paystream.payment.payment.adapter.r2dbc;

import dev.paystream.payment.payment.adapter.contract.PaymentContractMapper;
import dev.paystream.payment.payment.domain.PaymentEvent;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentAuthorized;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentCanceled;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentCaptured;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentDeclined;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentFailed;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentProcessingStarted;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentRefunded;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentSettled;
import dev.paystream.platform.store.EventStream;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * How domain events are kept in {@code payment_events.payload}: the records' own fields as JSON, under
 * the contract's type name. This format is private to the service; renaming a field of a domain event
 * means migrating stored events (or keeping an alias), which is why the records stay small.
 */
final class StoredPaymentEventCodec implements EventStream.Codec<PaymentEvent> {

    private static final Map<String, Class<? extends PaymentEvent>> TYPES = Map.of(
            "payment.processing", PaymentProcessingStarted.class,
            "payment.authorized", PaymentAuthorized.class,
            "payment.declined", PaymentDeclined.class,
            "payment.failed", PaymentFailed.class,
            "payment.captured", PaymentCaptured.class,
            "payment.canceled", PaymentCanceled.class,
            "payment.refunded", PaymentRefunded.class,
            "payment.settled", PaymentSettled.class);

    private final JsonMapper storage = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    @Override
    public String type(PaymentEvent event) {
        return PaymentContractMapper.typeOf(event);
    }

    @Override
    public String encode(PaymentEvent event) {
        return storage.writeValueAsString(event);
    }

    @Override
    public PaymentEvent decode(String type, String payload) {
        Class<? extends PaymentEvent> eventClass = TYPES.get(type);
        if (eventClass == null) {
            throw new IllegalStateException("unknown stored payment event type " + type);
        }
        return storage.readValue(payload, eventClass);
    }

    @Override
    public String aggregateId(PaymentEvent event) {
        return event.paymentId().value();
    }

    @Override
    public Instant occurredAt(PaymentEvent event) {
        return event.occurredAt();
    }
}
