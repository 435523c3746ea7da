package dev.paystream.payment.payout.application;

import dev.paystream.payment.payout.domain.PayoutDetails;
import dev.paystream.payment.payout.domain.PayoutOutcome;
import reactor.core.publisher.Mono;

/** The bank that carries payouts out; its answer comes a moment after the payout is created. */
public interface PayoutProcessor {

    Mono<PayoutOutcome> send(PayoutDetails payout);
}
