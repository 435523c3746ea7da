package dev.paystream.payment.payment.domain;

import java.util.Currency;
import java.util.Objects;

/**
 * An amount in a currency's minor unit (cents for USD, yen for JPY). Comparing across currencies is
 * refused rather than silently mixing them.
 */
public record Money(long amountMinor, Currency currency) {

    /** CONTRACT §1: no single amount may exceed this many minor units. */
    public static final long AMOUNT_MAX = 99_999_999L;

    public Money {
        Objects.requireNonNull(currency, "currency");
        if (amountMinor < 0) {
            throw new IllegalArgumentException("money is never negative: " + amountMinor);
        }
    }

    public static Money of(long amountMinor, String currencyCode) {
        return new Money(amountMinor, Currency.getInstance(currencyCode));
    }

    public boolean exceeds(Money other) {
        requireSameCurrency(other);
        return amountMinor > other.amountMinor;
    }

    public String currencyCode() {
        return currency.getCurrencyCode();
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("cannot combine " + currency + " with " + other.currency);
        }
    }

    @Override
    public String toString() {
        return amountMinor + " " + currency.getCurrencyCode();
    }
}
