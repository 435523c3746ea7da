package dev.paystream.payment.payment.domain;

import java.util.Locale;

/** Why a command on a payment was refused: named facts, not exceptions. {@link #code()} is the API's error code. */
public enum Rejection {
    /** Only an {@code authorized} payment can be captured. */
    PAYMENT_NOT_CAPTURABLE,
    /** A capture may not exceed what the authorization still holds. */
    AMOUNT_TOO_LARGE;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
