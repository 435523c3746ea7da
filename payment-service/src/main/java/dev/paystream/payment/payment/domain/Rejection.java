package dev.paystream.payment.payment.domain;

import java.util.Locale;

/** Why a command on a payment was refused: named facts, not exceptions. {@link #code()} is the API's error code. */
public enum Rejection {
    /** Only an {@code authorized} payment can be captured. */
    PAYMENT_NOT_CAPTURABLE,
    /** Only a {@code processing} payment can be completed by the processor's answer. */
    PAYMENT_NOT_PROCESSING,
    /** Only an {@code authorized} payment can be canceled; captured money is refunded instead. */
    PAYMENT_NOT_CANCELABLE,
    /** Only captured money can be refunded. */
    PAYMENT_NOT_REFUNDABLE,
    /** A capture may not exceed what the authorization still holds, nor refunds what was captured. */
    AMOUNT_TOO_LARGE,
    /** A payment may have at most {@link Payment#REFUNDS_MAX} refunds. */
    REFUND_LIMIT_REACHED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
