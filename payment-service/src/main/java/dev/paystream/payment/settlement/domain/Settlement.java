package dev.paystream.payment.settlement.domain;

import dev.paystream.payment.settlement.domain.SettlementEvent.SettlementCompleted;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A completed settlement batch, derived from its events. A batch is built line by line while its payments
 * and refunds are settled, and becomes a settlement when it completes with the totals of its lines
 * ({@link #complete}); a batch that ended up with no line (another run settled everything first) is no
 * settlement at all.
 *
 * @param createdAt when the batch completed: a settlement exists from then on
 */
public record Settlement(SettlementId id, String merchantId, String currency, SettlementTotals totals, Instant createdAt, long version) {

    /** The event completing a batch with {@code totals}; empty when the batch has no line. */
    public static Optional<SettlementCompleted> complete(SettlementId id, String merchantId, String currency, SettlementTotals totals,
                                                         Instant now) {
        return totals.isEmpty() ? Optional.empty() : Optional.of(new SettlementCompleted(id, merchantId, currency, totals, now));
    }

    public static Settlement replay(List<? extends SettlementEvent> history) {
        if (history.isEmpty()) {
            throw new IllegalArgumentException("a settlement has at least one event");
        }
        Settlement state = null;
        for (SettlementEvent event : history) {
            state = evolve(state, event);
        }
        return state;
    }

    public static Settlement evolve(Settlement state, SettlementEvent event) {
        return event.accept(completed -> new Settlement(completed.settlementId(), completed.merchantId(), completed.currency(),
                completed.totals(), completed.occurredAt(), state == null ? 1 : state.version + 1));
    }
}
