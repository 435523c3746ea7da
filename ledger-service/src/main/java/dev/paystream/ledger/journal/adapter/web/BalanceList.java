package dev.paystream.ledger.journal.adapter.web;

import dev.paystream.ledger.journal.domain.AccountBalance;
import java.util.List;

/** The caller's accounts that have seen money move, by currency, then account. */
public record BalanceList(List<Balance> data) {

    /**
     * One account's totals. {@code balance} is on the account's normal side: {@code debits - credits}
     * for {@code customer_funds}, {@code credits - debits} for every other account, so it is positive
     * while the account holds what its name says.
     */
    public record Balance(String account, String currency, long balance, long debits, long credits) {

        static Balance of(AccountBalance balance) {
            return new Balance(balance.account().code(), balance.currency().getCurrencyCode(), balance.balance(),
                    balance.debits(), balance.credits());
        }
    }
}
