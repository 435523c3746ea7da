package dev.paystream.payment.payout.adapter.r2dbc;

import dev.paystream.payment.payout.adapter.contract.PayoutContractMapper;
import dev.paystream.payment.payout.domain.PayoutEvent;
import dev.paystream.payment.payout.domain.PayoutEvent.PayoutCreated;
import dev.paystream.payment.payout.domain.PayoutEvent.PayoutFailed;
import dev.paystream.payment.payout.domain.PayoutEvent.PayoutPaid;
import dev.paystream.platform.store.EventStream;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * How payout events are kept in {@code payout_events.payload}: the records' own fields as JSON under the
 * contract's type name. Private to the service; renaming a field means migrating stored events.
 */
final class StoredPayoutEventCodec implements EventStream.Codec<PayoutEvent> {

    private static final Map<String, Class<? extends PayoutEvent>> TYPES = Map.of(
            "payout.created", PayoutCreated.class,
            "payout.paid", PayoutPaid.class,
            "payout.failed", PayoutFailed.class);

    private final JsonMapper storage = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    @Override
    public String type(PayoutEvent event) {
        return PayoutContractMapper.typeOf(event);
    }

    @Override
    public String encode(PayoutEvent event) {
        return storage.writeValueAsString(event);
    }

    @Override
    public PayoutEvent decode(String type, String payload) {
        Class<? extends PayoutEvent> eventClass = TYPES.get(type);
        if (eventClass == null) {
            throw new IllegalStateException("unknown stored payout event type " + type);
        }
        return storage.readValue(payload, eventClass);
    }

    @Override
    public String aggregateId(PayoutEvent event) {
        return event.payoutId().value();
    }

    @Override
    public Instant occurredAt(PayoutEvent event) {
        return event.occurredAt();
    }
}
