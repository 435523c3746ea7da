package dev.paystream.payment.payout.domain;

import java.util.Objects;

/** A payout's id, {@code po_} and an opaque suffix. */
public record PayoutId(String value) {

    public static final String PREFIX = "po_";

    public PayoutId {
        Objects.requireNonNull(value, "value");
        if (!value.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a payout id starts with " + PREFIX);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
