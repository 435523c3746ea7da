package dev.paystream.payment.payout.adapter.processor;

import dev.paystream.payment.payout.application.PayoutProcessor;
import dev.paystream.payment.payout.domain.PayoutDetails;
import dev.paystream.payment.payout.domain.PayoutOutcome;
import reactor.core.publisher.Mono;

/**
 * The simulated bank of payouts (CONTRACT §6): every payout is paid, except an amount ending in
 * {@code 02}, which fails with {@code account_closed} — so that a test can ask for a failure.
 */
public final class SimulatedPayoutProcessor implements PayoutProcessor {

    public static final String ACCOUNT_CLOSED = "account_closed";

    @Override
    public Mono<PayoutOutcome> send(PayoutDetails payout) {
        return Mono.just(payout.amount().amountMinor() % 100 == 2 ? new PayoutOutcome.Failed(ACCOUNT_CLOSED) : new PayoutOutcome.Paid());
    }
}
