package dev.paystream.ledger.journal.domain;

import java.util.Currency;
import java.util.Objects;

/**
 * An amount in a currency's minor unit (cents for USD, yen for JPY), never negative: the side of a
 * journal line says which way it moves. Arithmetic across currencies is refused.
 */
public record Money(long amountMinor, Currency currency) {

    public Money {
        Objects.requireNonNull(currency, "currency");
        if (amountMinor < 0) {
            throw new IllegalArgumentException("money is never negative: " + amountMinor);
        }
    }

    public static Money of(long amountMinor, String currencyCode) {
        return new Money(amountMinor, Currency.getInstance(currencyCode));
    }

    public Money plus(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("cannot add " + other.currency + " to " + currency);
        }
        return new Money(Math.addExact(amountMinor, other.amountMinor), currency);
    }

    public boolean isPositive() {
        return amountMinor > 0;
    }

    @Override
    public String toString() {
        return amountMinor + " " + currency.getCurrencyCode();
    }
}
