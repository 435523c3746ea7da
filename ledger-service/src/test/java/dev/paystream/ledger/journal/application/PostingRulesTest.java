package dev.paystream.ledger.journal.application;

import static dev.paystream.ledger.journal.application.IncomingEvents.authorized;
import static dev.paystream.ledger.journal.application.IncomingEvents.captured;
import static dev.paystream.ledger.journal.application.IncomingEvents.event;
import static dev.paystream.ledger.journal.application.IncomingEvents.paymentSettled;
import static dev.paystream.ledger.journal.application.IncomingEvents.payoutCreated;
import static dev.paystream.ledger.journal.application.IncomingEvents.payoutFailed;
import static dev.paystream.ledger.journal.application.IncomingEvents.payoutPaid;
import static dev.paystream.ledger.journal.application.IncomingEvents.refunded;
import static dev.paystream.ledger.journal.application.IncomingEvents.settlementCompleted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;

import dev.paystream.events.EventTypes;
import dev.paystream.events.v1.PaymentCapturedV1;
import dev.paystream.ledger.journal.domain.AccountType;
import dev.paystream.ledger.journal.domain.EntrySubject;
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
        assertThat(rules.post(event("payment.disputed", 1, null))).isInstanceOf(Posting.NoMoneyMoved.class);
        assertThat(rules.knows("payment.disputed")).isFalse();
    }

    @Test
    void aBatchMovesWhatItSettledFromPendingToAvailableAndItsFeesToFees() {
        Posting posting = rules.post(settlementCompleted(15000, 1000, 495, 13505, "USD"));

        assertThat(posting).isEqualTo(new Posting.Lines(List.of(
                new JournalLine(AccountType.MERCHANT_PENDING, USD, 14000, 0),
                new JournalLine(AccountType.MERCHANT_AVAILABLE, USD, 0, 13505),
                new JournalLine(AccountType.FEES, USD, 0, 495))));
        assertThat(rules.subjectOf(settlementCompleted(15000, 1000, 495, 13505, "USD")))
                .isEqualTo(EntrySubject.settlement(IncomingEvents.SETTLEMENT_ID));
    }

    @Test
    void aBatchWhoseRefundsExceedItsPaymentsGivesBackToPendingAndTakesItsNegativeNetFromAvailable() {
        // One payment of 1000 (fee 59) and a refund of 3000 of a payment settled before: net -2059.
        Posting posting = rules.post(settlementCompleted(1000, 3000, 59, -2059, "USD"));

        assertThat(posting).isEqualTo(new Posting.Lines(List.of(
                new JournalLine(AccountType.MERCHANT_AVAILABLE, USD, 2059, 0),
                new JournalLine(AccountType.MERCHANT_PENDING, USD, 0, 2000),
                new JournalLine(AccountType.FEES, USD, 0, 59))));
    }

    @Test
    void aBatchWhoseFeesTakeAllOfItsNetLeavesNothingAvailable() {
        assertThat(rules.post(settlementCompleted(30, 0, 30, 0, "USD"))).isEqualTo(new Posting.Lines(List.of(
                new JournalLine(AccountType.MERCHANT_PENDING, USD, 30, 0),
                new JournalLine(AccountType.FEES, USD, 0, 30))));
    }

    @Test
    void aBatchThatSettledNothingMovesNoMoney() {
        assertThat(rules.post(settlementCompleted(0, 0, 0, 0, "USD"))).isInstanceOf(Posting.NoMoneyMoved.class);
    }

    @Test
    void rejectsABatchWhoseNetIsNotItsGrossLessRefundsAndFees() {
        assertThat(rules.post(settlementCompleted(15000, 1000, 495, 13500, "USD")))
                .isEqualTo(new Posting.Rejected("net_amount must equal gross_amount - refunded_amount - fee_amount"));
    }

    @Test
    void rejectsABatchWithANegativeFeeOrOverflowingAmounts() {
        assertThat(rules.post(settlementCompleted(15000, 0, -5, 15005, "USD"))).isInstanceOf(Posting.Rejected.class);
        assertThat(rules.post(settlementCompleted(0, Long.MAX_VALUE, 2, Long.MIN_VALUE + 1, "USD"))).isInstanceOf(Posting.Rejected.class);
        assertThat(rules.post(settlementCompleted(0, Long.MAX_VALUE, 1, Long.MIN_VALUE, "USD")))
                .isEqualTo(new Posting.Rejected("the batch's amounts overflow"));
    }

    @Test
    void rejectsABatchInAnUnknownCurrency() {
        assertThat(rules.post(settlementCompleted(15000, 0, 465, 14535, "XYZ")))
                .isEqualTo(new Posting.Rejected("currency must be an ISO-4217 code"));
    }

    @Test
    void aSettledPaymentMovesNoMoneyOfItsOwn() {
        assertThat(rules.post(paymentSettled(5000, 175, "USD"))).isInstanceOf(Posting.NoMoneyMoved.class);
        assertThat(rules.knows(EventTypes.PAYMENT_SETTLED)).isTrue();
    }

    @Test
    void aPayoutTakesItsAmountFromAvailableWhenCreatedAndGivesItBackWhenItFails() {
        assertThat(rules.post(payoutCreated(2500, "USD"))).isEqualTo(new Posting.Lines(List.of(
                new JournalLine(AccountType.MERCHANT_AVAILABLE, USD, 2500, 0),
                new JournalLine(AccountType.PAYOUTS, USD, 0, 2500))));
        assertThat(rules.post(payoutFailed(2500, "USD"))).isEqualTo(new Posting.Lines(List.of(
                new JournalLine(AccountType.PAYOUTS, USD, 2500, 0),
                new JournalLine(AccountType.MERCHANT_AVAILABLE, USD, 0, 2500))));
        assertThat(rules.subjectOf(payoutFailed(2500, "USD"))).isEqualTo(EntrySubject.payout(IncomingEvents.PAYOUT_ID));
    }

    @Test
    void aPaidPayoutMovesNothingMore() {
        assertThat(rules.post(payoutPaid(2500, "USD"))).isInstanceOf(Posting.NoMoneyMoved.class);
        assertThat(rules.knows(EventTypes.PAYOUT_PAID)).isTrue();
    }

    @Test
    void rejectsAPayoutOfZero() {
        assertThat(rules.post(payoutCreated(0, "USD"))).isEqualTo(new Posting.Rejected("amount must be a positive integer"));
        assertThat(rules.post(payoutFailed(0, "USD"))).isEqualTo(new Posting.Rejected("amount must be a positive integer"));
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
