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
    REFUND_LIMIT_REACHED,
    /** A customer or invoice a payment names is not one of the merchant's (CONTRACT §4). */
    RESOURCE_MISSING,
    /** A payment's currency or customer differs from its invoice's. */
    INVOICE_MISMATCH,
    /** Only an open invoice can be paid. */
    INVOICE_NOT_OPEN,
    /** Payments against an invoice may not exceed its amount: what is still due after those already authorized or captured. */
    AMOUNT_EXCEEDS_INVOICE_DUE,
    /** Only captured money not settled yet can be settled. */
    PAYMENT_NOT_SETTLEABLE;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
