package dev.paystream.customer.invoice.domain;

import java.util.Currency;
import java.util.Objects;

/**
 * An amount in a currency's minor unit, never negative. Amounts of two currencies are never added,
 * subtracted or compared: that is refused rather than silently mixing them.
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

    public static Money zero(Currency currency) {
        return new Money(0, currency);
    }

    public boolean isIn(Currency other) {
        return currency.equals(other);
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(amountMinor + other.amountMinor, currency);
    }

    /** Fails when {@code other} is larger: money is never negative. */
    public Money minus(Money other) {
        requireSameCurrency(other);
        return new Money(amountMinor - other.amountMinor, currency);
    }

    public boolean exceeds(Money other) {
        requireSameCurrency(other);
        return amountMinor > other.amountMinor;
    }

    public String currencyCode() {
        return currency.getCurrencyCode();
    }

    private void requireSameCurrency(Money other) {
        if (!isIn(other.currency)) {
            throw new IllegalArgumentException("cannot combine " + currency + " with " + other.currency);
        }
    }

    @Override
    public String toString() {
        return amountMinor + " " + currency.getCurrencyCode();
    }
}
