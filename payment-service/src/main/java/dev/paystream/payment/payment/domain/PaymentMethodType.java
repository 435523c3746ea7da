package dev.paystream.payment.payment.domain;

import java.util.Locale;
import java.util.Optional;

/** The payment methods of CONTRACT §5. The three card spellings behave the same; the caller's spelling is kept. */
public enum PaymentMethodType {
    CARD, CREDIT_CARD, DEBIT_CARD, PAYPAL, BANK_TRANSFER;

    public static Optional<PaymentMethodType> fromWireName(String name) {
        for (PaymentMethodType type : values()) {
            if (type.wireName().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    public boolean isCard() {
        return this == CARD || this == CREDIT_CARD || this == DEBIT_CARD;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
