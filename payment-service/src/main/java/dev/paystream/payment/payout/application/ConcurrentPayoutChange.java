package dev.paystream.payment.payout.application;

import dev.paystream.payment.payout.domain.PayoutId;

/** Another writer appended to the same payout between our read and our write; the command is decided again. */
public final class ConcurrentPayoutChange extends RuntimeException {

    public ConcurrentPayoutChange(PayoutId id, Throwable cause) {
        super("payout " + id + " changed concurrently", cause);
    }
}
