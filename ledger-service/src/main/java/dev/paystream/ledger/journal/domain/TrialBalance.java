package dev.paystream.ledger.journal.domain;

import java.util.List;

/**
 * The ledger's self-check: in every currency the debits of all accounts equal their credits. Every
 * entry balances on its own, so an imbalance here means rows were written around the domain.
 */
public record TrialBalance(List<CurrencyTotals> currencies) {

    public TrialBalance {
        currencies = List.copyOf(currencies);
    }

    public boolean balanced() {
        return currencies.stream().allMatch(CurrencyTotals::balanced);
    }
}
