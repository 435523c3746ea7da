package dev.paystream.payment.payout.domain;

import java.util.Locale;

/** Why a command on a payout was refused: named facts, not exceptions. {@link #code()} is the API's error code. */
public enum Rejection {
    /** A payout may not exceed the merchant's available balance in its currency: settled net minus payouts not failed. */
    INSUFFICIENT_AVAILABLE_BALANCE,
    /** The customer a payout names is not one of the merchant's (CONTRACT §4). */
    RESOURCE_MISSING,
    /** Only a {@code pending} payout gets the bank's answer. */
    PAYOUT_NOT_PENDING;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
