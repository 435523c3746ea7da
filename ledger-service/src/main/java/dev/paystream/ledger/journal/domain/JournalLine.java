package dev.paystream.ledger.journal.domain;

import java.util.Currency;
import java.util.Objects;

/**
 * One side of a journal entry: an amount debited or credited to one account in one currency.
 * Exactly one of {@code debit} and {@code credit} is positive; the other is zero.
 */
public record JournalLine(AccountType account, Currency currency, long debit, long credit) {

    public JournalLine {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(currency, "currency");
        if (debit < 0 || credit < 0) {
            throw new IllegalArgumentException("a journal line never carries a negative amount");
        }
        if ((debit == 0) == (credit == 0)) {
            throw new IllegalArgumentException("a journal line is either a debit or a credit of a positive amount");
        }
    }

    public static JournalLine debit(AccountType account, Money money) {
        return new JournalLine(account, money.currency(), money.amountMinor(), 0);
    }

    public static JournalLine credit(AccountType account, Money money) {
        return new JournalLine(account, money.currency(), 0, money.amountMinor());
    }

    public boolean isDebit() {
        return debit > 0;
    }
}
