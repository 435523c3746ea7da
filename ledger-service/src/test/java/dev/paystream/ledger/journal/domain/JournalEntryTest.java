package dev.paystream.ledger.journal.domain;

import static dev.paystream.ledger.journal.domain.AccountType.CUSTOMER_FUNDS;
import static dev.paystream.ledger.journal.domain.AccountType.FEES;
import static dev.paystream.ledger.journal.domain.AccountType.MERCHANT_AVAILABLE;
import static dev.paystream.ledger.journal.domain.AccountType.MERCHANT_PENDING;
import static dev.paystream.ledger.journal.domain.JournalLine.credit;
import static dev.paystream.ledger.journal.domain.JournalLine.debit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import java.util.Collections;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.Test;

class JournalEntryTest {

    private static final Money USD_50 = Money.of(5000, "USD");

    @Test
    void acceptsADebitAndACreditOfTheSameAmount() {
        JournalEntry entry = entry(debit(CUSTOMER_FUNDS, USD_50), credit(MERCHANT_PENDING, USD_50));

        assertThat(entry.lines()).extracting(JournalLine::account).containsExactly(CUSTOMER_FUNDS, MERCHANT_PENDING);
        assertThat(entry.lines()).extracting(JournalLine::debit).containsExactly(5000L, 0L);
        assertThat(entry.lines()).extracting(JournalLine::credit).containsExactly(0L, 5000L);
    }

    @Test
    void acceptsOneDebitSplitAcrossSeveralCredits() {
        JournalEntry settlement = entry(debit(MERCHANT_PENDING, USD_50),
                credit(MERCHANT_AVAILABLE, Money.of(4855, "USD")), credit(FEES, Money.of(145, "USD")));

        assertThat(settlement.lines()).hasSize(3);
    }

    @Test
    void refusesAnEntryWhoseDebitsExceedItsCredits() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> entry(debit(CUSTOMER_FUNDS, USD_50), credit(MERCHANT_PENDING, Money.of(4999, "USD"))))
                .withMessageContaining("does not balance in USD: debits 5000, credits 4999");
    }

    @Test
    void refusesAnEntryThatBalancesOnlyWhenCurrenciesAreMixed() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> entry(debit(CUSTOMER_FUNDS, USD_50), credit(MERCHANT_PENDING, Money.of(5000, "EUR"))))
                .withMessageContaining("does not balance in EUR");
    }

    @Test
    void acceptsAnEntryThatBalancesInEachOfTwoCurrencies() {
        Money eur = Money.of(700, "EUR");

        JournalEntry entry = entry(debit(CUSTOMER_FUNDS, USD_50), credit(MERCHANT_PENDING, USD_50),
                debit(CUSTOMER_FUNDS, eur), credit(MERCHANT_PENDING, eur));

        assertThat(entry.lines()).hasSize(4);
    }

    @Test
    void refusesAnEntryWithASingleLine() {
        assertThatIllegalArgumentException().isThrownBy(() -> entry(debit(CUSTOMER_FUNDS, USD_50)))
                .withMessageContaining("has 1 lines");
    }

    @Test
    void refusesAnEntryWithMoreLinesThanTheBound() {
        List<JournalLine> lines = Collections.nCopies(JournalEntry.LINES_MAX + 1, debit(CUSTOMER_FUNDS, USD_50));

        assertThatIllegalArgumentException().isThrownBy(() -> entry(lines.toArray(JournalLine[]::new)));
    }

    @Test
    void refusesALineThatIsBothADebitAndACredit() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new JournalLine(CUSTOMER_FUNDS, Currency.getInstance("USD"), 5000, 5000));
    }

    @Test
    void refusesALineOfZero() {
        assertThatIllegalArgumentException().isThrownBy(() -> debit(CUSTOMER_FUNDS, Money.of(0, "USD")));
    }

    @Test
    void refusesNegativeMoney() {
        assertThatIllegalArgumentException().isThrownBy(() -> Money.of(-1, "USD"));
    }

    @Test
    void refusesToAddMoneyOfDifferentCurrencies() {
        assertThatIllegalArgumentException().isThrownBy(() -> USD_50.plus(Money.of(1, "EUR")));
    }

    @Test
    void refusesAnIdWithoutItsPrefix() {
        assertThatIllegalArgumentException().isThrownBy(() -> new JournalEntryId("pay_0123456789ab"));
    }

    @Test
    void refusesAnEntryWithoutItsMerchant() {
        assertThatIllegalArgumentException().isThrownBy(() -> new JournalEntry(new JournalEntryId("je_0123456789ab"), "evt_1",
                EntrySubject.payment("pay_1"), " ", Instant.parse("2026-11-23T18:30:01Z"), List.of(debit(CUSTOMER_FUNDS, USD_50), credit(MERCHANT_PENDING, USD_50))));
    }

    private static JournalEntry entry(JournalLine... lines) {
        return new JournalEntry(new JournalEntryId("je_0123456789abcdef01234567"), "evt_1", EntrySubject.payment("pay_1"), "mer_1",
                Instant.parse("2026-11-23T18:30:01Z"), List.of(lines));
    }
}
