package dev.paystream.payment.settlement.adapter.r2dbc;

import dev.paystream.payment.settlement.adapter.contract.SettlementContractMapper;
import dev.paystream.payment.settlement.domain.SettlementEvent;
import dev.paystream.payment.settlement.domain.SettlementEvent.SettlementCompleted;
import dev.paystream.platform.store.EventStream;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** How settlement events are kept in {@code settlement_events.payload}: the records' own fields as JSON, private to the service. */
final class StoredSettlementEventCodec implements EventStream.Codec<SettlementEvent> {

    private static final Map<String, Class<? extends SettlementEvent>> TYPES = Map.of("settlement.completed", SettlementCompleted.class);

    private final JsonMapper storage = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    @Override
    public String type(SettlementEvent event) {
        return SettlementContractMapper.typeOf(event);
    }

    @Override
    public String encode(SettlementEvent event) {
        return storage.writeValueAsString(event);
    }

    @Override
    public SettlementEvent decode(String type, String payload) {
        Class<? extends SettlementEvent> eventClass = TYPES.get(type);
        if (eventClass == null) {
            throw new IllegalStateException("unknown stored settlement event type " + type);
        }
        return storage.readValue(payload, eventClass);
    }

    @Override
    public String aggregateId(SettlementEvent event) {
        return event.settlementId().value();
    }

    @Override
    public Instant occurredAt(SettlementEvent event) {
        return event.occurredAt();
    }
}
