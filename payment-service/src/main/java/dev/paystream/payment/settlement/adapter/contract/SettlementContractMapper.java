package dev.paystream.payment.settlement.adapter.contract;

import dev.paystream.events.EventEnvelope;
import dev.paystream.events.EventTypes;
import dev.paystream.events.Topics;
import dev.paystream.events.v1.SettlementCompletedV1;
import dev.paystream.events.v1.SettlementV1;
import dev.paystream.payment.settlement.domain.Settlement;
import dev.paystream.payment.settlement.domain.SettlementEvent;
import dev.paystream.payment.settlement.domain.SettlementTotals;
import dev.paystream.platform.outbox.OutboxMessage;
import tools.jackson.databind.json.JsonMapper;

/**
 * Settlement events and settlements in their public v1 shapes of shared-events. {@code settlement.completed}
 * goes to {@code paystream.settlements.v1}, keyed by the settlement id (CONTRACT §11).
 */
public final class SettlementContractMapper {

    static final int CONTRACT_VERSION = 1;
    /** The only status a settlement shows: a batch is a settlement once completed. */
    public static final String COMPLETED = "completed";

    private final JsonMapper jsonMapper;

    public SettlementContractMapper(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    /** The outbox row announcing {@code event}, recorded as {@code eventId} at {@code sequence}; {@code after} is the settlement it made. */
    public OutboxMessage toOutboxMessage(String eventId, long sequence, SettlementEvent event, Settlement after) {
        SettlementV1 settlement = toContract(after);
        SettlementTotals totals = after.totals();
        String type = typeOf(event);
        EventEnvelope<Object> envelope = new EventEnvelope<>(eventId, type, CONTRACT_VERSION, event.settlementId().value(), sequence,
                after.merchantId(), event.occurredAt(), new SettlementCompletedV1(after.currency(), totals.paymentCount(),
                        totals.refundCount(), totals.grossAmount(), totals.refundedAmount(), totals.feeAmount(), totals.netAmount(), settlement));
        return new OutboxMessage(eventId, Topics.SETTLEMENTS, envelope.aggregateId(), type, jsonMapper.writeValueAsString(envelope));
    }

    public static String typeOf(SettlementEvent event) {
        return event.accept(completed -> EventTypes.SETTLEMENT_COMPLETED);
    }

    /** The settlement in its public shape, the same as the HTTP API's settlement object. */
    public static SettlementV1 toContract(Settlement settlement) {
        SettlementTotals totals = settlement.totals();
        return new SettlementV1(settlement.id().value(), settlement.currency(), COMPLETED, totals.paymentCount(), totals.refundCount(),
                totals.grossAmount(), totals.refundedAmount(), totals.feeAmount(), totals.netAmount(), settlement.createdAt());
    }
}
