package dev.paystream.payment.settlement.application;

import dev.paystream.payment.settlement.domain.SettlementLine;
import java.time.Instant;

/** A refund not settled yet, with what its settlement line needs to know of its payment. */
public record RefundToSettle(String refundId, long amount, Instant refundedAt, SettlementLine.PaymentFacts payment) {
}
