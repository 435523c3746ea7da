package dev.paystream.payment.payout.domain;

import java.util.Locale;
import java.util.Optional;

/** CONTRACT §6 statuses; {@link #wireName()} is how the API and events spell them. */
public enum PayoutStatus {
    /** Taken from the available balance, waiting for the bank's answer. */
    PENDING,
    /** The money reached the customer. */
    PAID,
    /** The bank refused it; the amount went back to the available balance. */
    FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<PayoutStatus> fromWireName(String name) {
        for (PayoutStatus status : values()) {
            if (status.wireName().equals(name)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
