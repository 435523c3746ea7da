package dev.paystream.payment.payment.domain;

import java.util.Objects;

/** A payment's id, {@code pay_} and an opaque suffix. */
public record PaymentId(String value) {

    public static final String PREFIX = "pay_";

    public PaymentId {
        Objects.requireNonNull(value, "value");
        if (!value.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a payment id starts with " + PREFIX);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
