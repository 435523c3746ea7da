package dev.paystream.payment.payout.application;

import reactor.core.publisher.Mono;

/** The merchant's available balance in a currency (CONTRACT §6): settled net minus payouts not failed. */
public interface AvailableBalance {

    /** In minor units; 0 when nothing was ever settled in the currency. */
    Mono<Long> available(String merchantId, String currency);
}
