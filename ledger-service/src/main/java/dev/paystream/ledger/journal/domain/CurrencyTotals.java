package dev.paystream.ledger.journal.domain;

import java.util.Currency;
import java.util.Objects;

/** The sums of every debit and every credit in one currency, across all accounts. */
public record CurrencyTotals(Currency currency, long debits, long credits) {

    public CurrencyTotals {
        Objects.requireNonNull(currency, "currency");
    }

    public boolean balanced() {
        return debits == credits;
    }
}
