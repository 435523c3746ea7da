package dev.paystream.ledger.journal.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.Test;

class BalancesTest {

    private static final Currency USD = Currency.getInstance("USD");
    private static final Currency EUR = Currency.getInstance("EUR");

    @Test
    void customerFundsGrowWithDebits() {
        assertThat(new AccountBalance(AccountType.CUSTOMER_FUNDS, USD, 5000, 1000).balance()).isEqualTo(4000);
    }

    @Test
    void whatIsOwedToTheMerchantGrowsWithCredits() {
        assertThat(new AccountBalance(AccountType.MERCHANT_PENDING, USD, 1000, 5000).balance()).isEqualTo(4000);
        assertThat(new AccountBalance(AccountType.MERCHANT_AVAILABLE, USD, 0, 300).balance()).isEqualTo(300);
    }

    @Test
    void anAccountThatGaveMoreThanItReceivedHasANegativeBalance() {
        assertThat(new AccountBalance(AccountType.MERCHANT_PENDING, USD, 6000, 5000).balance()).isEqualTo(-1000);
    }

    @Test
    void onlyCustomerFundsIsDebitNormal() {
        assertThat(AccountType.values()).filteredOn(type -> type.normalBalance() == NormalBalance.DEBIT)
                .containsExactly(AccountType.CUSTOMER_FUNDS);
    }

    @Test
    void accountsAreNamedInSnakeCase() {
        assertThat(AccountType.MERCHANT_PENDING.code()).isEqualTo("merchant_pending");
        assertThat(AccountType.fromCode("customer_funds")).contains(AccountType.CUSTOMER_FUNDS);
        assertThat(AccountType.fromCode("CUSTOMER_FUNDS")).isEmpty();
    }

    @Test
    void aTrialBalanceIsBalancedWhenEveryCurrencyIs() {
        assertThat(new TrialBalance(List.of(new CurrencyTotals(USD, 5000, 5000), new CurrencyTotals(EUR, 700, 700))).balanced()).isTrue();
        assertThat(new TrialBalance(List.of()).balanced()).isTrue();
    }

    @Test
    void aTrialBalanceIsUnbalancedWhenOneCurrencyIs() {
        assertThat(new TrialBalance(List.of(new CurrencyTotals(USD, 5000, 5000), new CurrencyTotals(EUR, 700, 699))).balanced()).isFalse();
    }
}
