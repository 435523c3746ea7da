package dev.paystream.payment.settlement.domain;

import java.util.Objects;

/** A settlement batch's id, {@code st_} and an opaque suffix. */
public record SettlementId(String value) {

    public static final String PREFIX = "st_";

    public SettlementId {
        Objects.requireNonNull(value, "value");
        if (!value.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a settlement id starts with " + PREFIX);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
