package dev.paystream.customer.invoice.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** {@code open} while less than the amount is paid, {@code paid} once all of it is, {@code void} for good. */
public enum InvoiceStatus {
    OPEN, PAID, VOID;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<InvoiceStatus> fromWireName(String wireName) {
        return Arrays.stream(values()).filter(status -> status.wireName().equals(wireName)).findFirst();
    }
}
