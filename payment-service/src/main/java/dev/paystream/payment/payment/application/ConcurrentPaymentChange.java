package dev.paystream.payment.payment.application;

import dev.paystream.payment.payment.domain.PaymentId;

/** Another command appended to the same payment between our read and our write; the command is decided again. */
public final class ConcurrentPaymentChange extends RuntimeException {

    public ConcurrentPaymentChange(PaymentId id, Throwable cause) {
        super("payment " + id + " changed concurrently", cause);
    }
}
