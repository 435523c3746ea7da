package dev.paystream.payment.payout.domain;

import java.util.Locale;
import java.util.Optional;

/** How a payout reaches the customer (CONTRACT §6). */
public enum PayoutMethod {
    PAYPAL, BANK_TRANSFER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<PayoutMethod> fromWireName(String name) {
        for (PayoutMethod method : values()) {
            if (method.wireName().equals(name)) {
                return Optional.of(method);
            }
        }
        return Optional.empty();
    }
}
