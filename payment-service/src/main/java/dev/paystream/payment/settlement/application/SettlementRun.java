package dev.paystream.payment.settlement.application;

import dev.paystream.payment.settlement.domain.SettlementId;
import java.time.Instant;

/**
 * A batch of one merchant and currency being built: it settles what was captured or refunded up to
 * {@code startedAt} (later payments wait for the next batch), so that a batch under steady traffic ends.
 */
public record SettlementRun(SettlementId id, String merchantId, String currency, Instant startedAt) {
}
