package dev.paystream.ledger.journal.application;

import static dev.paystream.ledger.journal.application.IncomingEvents.authorized;
import static dev.paystream.ledger.journal.application.IncomingEvents.captured;
import static dev.paystream.ledger.journal.application.IncomingEvents.event;
import static dev.paystream.ledger.journal.application.IncomingEvents.refunded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;

import dev.paystream.events.EventTypes;
import dev.paystream.events.v1.PaymentCapturedV1;
import dev.paystream.ledger.journal.domain.AccountType;
import dev.paystream.ledger.journal.domain.JournalLine;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PostingRulesTest {

    private static final Currency USD = Currency.getInstance("USD");

    private final PostingRules rules = PostingRules.v1();

    @Test
    void aCaptureMovesItsAmountFromCustomerFundsToMerchantPending() {
        Posting posting = rules.post(captured(5000, "USD"));

        assertThat(posting).isEqualTo(new Posting.Lines(List.of(
                new JournalLine(AccountType.CUSTOMER_FUNDS, USD, 5000, 0),
                new JournalLine(AccountType.MERCHANT_PENDING, USD, 0, 5000))));
    }

    @Test
    void aCaptureInLowerCaseCurrencyIsPostedInUpperCase() {
        Posting posting = rules.post(captured(500, "jpy"));

        assertThat(((Posting.Lines) posting).lines()).extracting(JournalLine::currency)
                .containsOnly(Currency.getInstance("JPY"));
    }

    @Test
    void anAuthorizationMovesNoMoney() {
        assertThat(rules.post(authorized(5000, "USD"))).isInstanceOf(Posting.NoMoneyMoved.class);
    }

    @Test
    void aRefundMovesItsAmountFromMerchantPendingBackToCustomerFunds() {
        Posting posting = rules.post(refunded(1000, "USD", 1000));

        assertThat(posting).isEqualTo(new Posting.Lines(List.of(
                new JournalLine(AccountType.MERCHANT_PENDING, USD, 1000, 0),
                new JournalLine(AccountType.CUSTOMER_FUNDS, USD, 0, 1000))));
    }

    @Test
    void aPartialRefundPostsItsOwnAmountNotThePaymentsRefundedTotal() {
        Posting posting = rules.post(refunded(3000, "USD", 4000));

        assertThat(((Posting.Lines) posting).lines()).extracting(JournalLine::debit, JournalLine::credit)
                .containsExactly(tuple(3000L, 0L), tuple(0L, 3000L));
    }

    @Test
    void rejectsARefundOfZero() {
        assertThat(rules.post(refunded(0, "USD", 0))).isEqualTo(new Posting.Rejected("amount must be a positive integer"));
    }

    @Test
    void rejectsARefundInAnUnknownCurrency() {
        assertThat(rules.post(refunded(1000, "XYZ", 1000))).isEqualTo(new Posting.Rejected("currency must be an ISO-4217 code"));
    }

    @Test
    void rejectsARefundWithoutItsMerchant() {
        assertThat(rules.post(IncomingEvents.withoutMerchant(refunded(1000, "USD", 1000))))
                .isEqualTo(new Posting.Rejected("merchant_id is missing"));
    }

    @Test
    void rejectsARefundWhoseDataIsNotARefund() {
        assertThat(rules.post(event(EventTypes.PAYMENT_REFUNDED, 1, new PaymentCapturedV1(1000, "USD", null))))
                .isEqualTo(new Posting.Rejected("data is not a payment.refunded v1 payload"));
    }

    /**
     * These outcomes hold or move no money. They are rows of the table, not types it does not know, so
     * they are documented and named in metrics; their data is not read, so no shape of it is rejected.
     */
    @ParameterizedTest
    @ValueSource(strings = {EventTypes.PAYMENT_PROCESSING, EventTypes.PAYMENT_DECLINED, EventTypes.PAYMENT_FAILED,
            EventTypes.PAYMENT_CANCELED})
    void aPaymentThatNeverCapturedMovesNoMoneyByItsOwnRule(String type) {
        Posting posting = rules.post(event(type, 1, "any data"));

        assertThat(rules.knows(type)).isTrue();
        assertThat(posting).isInstanceOfSatisfying(Posting.NoMoneyMoved.class,
                noMoney -> assertThat(noMoney.why()).doesNotStartWith("no posting rule"));
    }

    @Test
    void aTypeWithoutARuleMovesNoMoney() {
        assertThat(rules.post(event("payout.paid", 1, null))).isInstanceOf(Posting.NoMoneyMoved.class);
        assertThat(rules.knows("payout.paid")).isFalse();
    }

    @Test
    void aNewerVersionOfACaptureIsLeftToItsV1Twin() {
        assertThat(rules.post(event(EventTypes.PAYMENT_CAPTURED, 2, new PaymentCapturedV1(5000, "USD", null))))
                .isInstanceOf(Posting.NoMoneyMoved.class);
    }

    @Test
    void rejectsACaptureWithoutAVersion() {
        assertThat(rules.post(event(EventTypes.PAYMENT_CAPTURED, 0, new PaymentCapturedV1(5000, "USD", null))))
                .isEqualTo(new Posting.Rejected("version must be a positive integer"));
    }

    @Test
    void rejectsACaptureOfZero() {
        assertThat(rules.post(captured(0, "USD"))).isEqualTo(new Posting.Rejected("amount must be a positive integer"));
    }

    @Test
    void rejectsACaptureInAnUnknownCurrency() {
        assertThat(rules.post(captured(5000, "ABC"))).isEqualTo(new Posting.Rejected("currency must be an ISO-4217 code"));
        assertThat(rules.post(captured(5000, null))).isEqualTo(new Posting.Rejected("currency must be an ISO-4217 code"));
    }

    @Test
    void rejectsACaptureWithoutItsMerchant() {
        assertThat(rules.post(IncomingEvents.withoutMerchant(captured(5000, "USD"))))
                .isEqualTo(new Posting.Rejected("merchant_id is missing"));
    }

    @Test
    void rejectsACaptureWithoutItsTime() {
        assertThat(rules.post(IncomingEvents.withoutOccurredAt(captured(5000, "USD"))))
                .isInstanceOf(Posting.Rejected.class);
    }

    @Test
    void rejectsACaptureWhoseDataIsNotACapture() {
        assertThat(rules.post(event(EventTypes.PAYMENT_CAPTURED, 1, "not a capture")))
                .isEqualTo(new Posting.Rejected("data is not a payment.captured v1 payload"));
    }

    @Test
    void refusesTwoRulesForTheSameTypeAndVersion() {
        assertThatIllegalArgumentException().isThrownBy(() -> new PostingRules(List.of(
                PostingRule.movesNoMoney(EventTypes.PAYMENT_AUTHORIZED, 1, "hold"),
                PostingRule.movesNoMoney(EventTypes.PAYMENT_AUTHORIZED, 1, "hold again"))));
    }
}
