package dev.paystream.ledger.journal.adapter.web;

import dev.paystream.ledger.journal.domain.CurrencyTotals;
import dev.paystream.ledger.journal.domain.TrialBalance;
import java.util.List;

/** Debits and credits of every account of every merchant, per currency; {@code balanced} when each pair is equal. */
public record TrialBalanceResponse(List<Totals> currencies, boolean balanced) {

    public record Totals(String currency, long debits, long credits) {

        static Totals of(CurrencyTotals totals) {
            return new Totals(totals.currency().getCurrencyCode(), totals.debits(), totals.credits());
        }
    }

    static TrialBalanceResponse of(TrialBalance trialBalance) {
        return new TrialBalanceResponse(trialBalance.currencies().stream().map(Totals::of).toList(), trialBalance.balanced());
    }
}
