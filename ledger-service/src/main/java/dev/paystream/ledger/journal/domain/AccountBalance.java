package dev.paystream.ledger.journal.domain;

import java.util.Currency;
import java.util.Objects;

/**
 * The totals of one merchant account in one currency.
 *
 * @param debits  the sum of every debit to the account
 * @param credits the sum of every credit to the account
 */
public record AccountBalance(AccountType account, Currency currency, long debits, long credits) {

    public AccountBalance {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(currency, "currency");
        if (debits < 0 || credits < 0) {
            throw new IllegalArgumentException("debit and credit totals are never negative");
        }
    }

    /**
     * The balance on the account's normal side: positive while the account holds what its kind
     * says it holds (funds collected, money owed to the merchant, fees earned, money paid out).
     * It is negative only when more left the account than entered it.
     */
    public long balance() {
        return account.normalBalance() == NormalBalance.DEBIT
                ? Math.subtractExact(debits, credits)
                : Math.subtractExact(credits, debits);
    }
}
