package dev.paystream.payment.payment.domain;

import static dev.paystream.payment.payment.domain.Payments.ID;
import static dev.paystream.payment.payment.domain.Payments.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.payment.payment.domain.PaymentEvent.PaymentAuthorized;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentCanceled;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentCaptured;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentDeclined;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentRefunded;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Given events, when a command, then events or a named rejection. */
class PaymentTest {

    private static final Instant LATER = NOW.plusSeconds(60);

    @Nested
    class Authorizing {

        @Test
        void anApprovedAutomaticPaymentIsAuthorizedAndCapturedInFull() {
            List<PaymentEvent> events = Payment.authorize(ID, Payments.details(5000, CaptureMethod.AUTOMATIC),
                    new AuthorizationOutcome.Approved("A1B2C3"), NOW);

            assertThat(events).containsExactly(
                    new PaymentAuthorized(ID, Payments.details(5000, CaptureMethod.AUTOMATIC), "A1B2C3", NOW),
                    new PaymentCaptured(ID, Money.of(5000, "USD"), NOW));
            Payment payment = Payment.replay(events);
            assertThat(payment.status()).isEqualTo(PaymentStatus.CAPTURED);
            assertThat(payment.amountCaptured()).isEqualTo(5000);
            assertThat(payment.amountCapturable()).isZero();
            assertThat(payment.version()).isEqualTo(2);
        }

        @Test
        void anApprovedManualPaymentIsOnlyAuthorized() {
            List<PaymentEvent> events = Payment.authorize(ID, Payments.details(5000, CaptureMethod.MANUAL),
                    new AuthorizationOutcome.Approved("A1B2C3"), NOW);

            assertThat(events).containsExactly(new PaymentAuthorized(ID, Payments.details(5000, CaptureMethod.MANUAL), "A1B2C3", NOW));
            assertThat(Payment.replay(events).amountCapturable()).isEqualTo(5000);
        }

        @Test
        void aDeclineIsRecordedWithItsCodeAndHoldsNothing() {
            List<PaymentEvent> events = Payment.authorize(ID, Payments.details(5000, CaptureMethod.AUTOMATIC),
                    new AuthorizationOutcome.Declined("insufficient_funds"), NOW);

            assertThat(events).containsExactly(new PaymentDeclined(ID, Payments.details(5000, CaptureMethod.AUTOMATIC), "insufficient_funds", NOW));
            Payment payment = Payment.replay(events);
            assertThat(payment.status()).isEqualTo(PaymentStatus.DECLINED);
            assertThat(payment.declineCode()).isEqualTo("insufficient_funds");
            assertThat(payment.amountCapturable()).isZero();
        }
    }

    @Nested
    class Capturing {

        @Test
        void capturesEverythingCapturableWhenNoAmountIsGiven() {
            Decision decision = Payments.anAuthorizedPayment(5000).capture(null, LATER);

            assertThat(decision).isEqualTo(new Decision.Accepted(List.of(new PaymentCaptured(ID, Money.of(5000, "USD"), LATER))));
        }

        @Test
        void aPartialCaptureReleasesTheRestOfTheAuthorization() {
            Payment authorized = Payments.anAuthorizedPayment(5000);
            Decision decision = authorized.capture(3000L, LATER);

            Payment captured = Payment.evolve(authorized, ((Decision.Accepted) decision).events().get(0));
            assertThat(captured.amountCaptured()).isEqualTo(3000);
            assertThat(captured.amountCapturable()).isZero();
            assertThat(captured.updatedAt()).isEqualTo(LATER);
            assertThat(captured.version()).isEqualTo(2);
        }

        @Test
        void rejectsCaptureAboveTheAuthorizedAmount() {
            Decision decision = Payments.anAuthorizedPayment(5000).capture(5001L, LATER);

            assertThat(decision).isInstanceOfSatisfying(Decision.Rejected.class,
                    rejected -> assertThat(rejected.rejection()).isEqualTo(Rejection.AMOUNT_TOO_LARGE));
        }

        @Test
        void rejectsASecondCapture() {
            Payment authorized = Payments.anAuthorizedPayment(5000);
            Payment captured = Payment.evolve(authorized, new PaymentCaptured(ID, Money.of(1000, "USD"), LATER));

            assertThat(captured.capture(null, LATER)).isInstanceOfSatisfying(Decision.Rejected.class,
                    rejected -> assertThat(rejected.rejection()).isEqualTo(Rejection.PAYMENT_NOT_CAPTURABLE));
        }

        @Test
        void rejectsCapturingADeclinedPayment() {
            Payment declined = Payment.replay(List.of(new PaymentDeclined(ID, Payments.details(5000, CaptureMethod.MANUAL), "card_declined", NOW)));

            assertThat(declined.capture(null, LATER)).isInstanceOfSatisfying(Decision.Rejected.class,
                    rejected -> assertThat(rejected.rejection()).isEqualTo(Rejection.PAYMENT_NOT_CAPTURABLE));
        }
    }

    @Nested
    class Canceling {

        @Test
        void cancelingReleasesTheWholeAuthorization() {
            Payment authorized = Payments.anAuthorizedPayment(5000);

            Decision decision = authorized.cancel(LATER);

            assertThat(decision).isEqualTo(new Decision.Accepted(List.of(new PaymentCanceled(ID, Money.of(5000, "USD"), LATER))));
            Payment canceled = Payment.evolve(authorized, ((Decision.Accepted) decision).events().get(0));
            assertThat(canceled.status()).isEqualTo(PaymentStatus.CANCELED);
            assertThat(canceled.amountCapturable()).isZero();
        }

        @Test
        void rejectsCancelingACapturedPayment() {
            Payment captured = Payment.evolve(Payments.anAuthorizedPayment(5000), new PaymentCaptured(ID, Money.of(5000, "USD"), LATER));

            assertThat(captured.cancel(LATER)).isInstanceOfSatisfying(Decision.Rejected.class,
                    rejected -> assertThat(rejected.rejection()).isEqualTo(Rejection.PAYMENT_NOT_CANCELABLE));
        }

        @Test
        void rejectsCapturingACanceledPayment() {
            Payment canceled = Payment.evolve(Payments.anAuthorizedPayment(5000), new PaymentCanceled(ID, Money.of(5000, "USD"), LATER));

            assertThat(canceled.capture(null, LATER)).isInstanceOfSatisfying(Decision.Rejected.class,
                    rejected -> assertThat(rejected.rejection()).isEqualTo(Rejection.PAYMENT_NOT_CAPTURABLE));
        }
    }

    @Nested
    class Refunding {

        private final Payment captured = Payment.evolve(Payments.anAuthorizedPayment(5000),
                new PaymentCaptured(ID, Money.of(4000, "USD"), LATER));

        @Test
        void aPartialRefundLeavesThePaymentPartiallyRefunded() {
            Decision decision = captured.refund("re_1", 1000L, "requested_by_customer", LATER);

            assertThat(decision).isEqualTo(new Decision.Accepted(List.of(
                    new PaymentRefunded(ID, "re_1", Money.of(1000, "USD"), "requested_by_customer", LATER))));
            Payment refunded = Payment.evolve(captured, ((Decision.Accepted) decision).events().get(0));
            assertThat(refunded.status()).isEqualTo(PaymentStatus.PARTIALLY_REFUNDED);
            assertThat(refunded.amountRefunded()).isEqualTo(1000);
        }

        @Test
        void refundsUpToTheCapturedAmountMakeThePaymentRefunded() {
            Payment once = Payment.evolve(captured, new PaymentRefunded(ID, "re_1", Money.of(1500, "USD"), null, LATER));

            Decision rest = once.refund("re_2", null, null, LATER);

            assertThat(rest).isEqualTo(new Decision.Accepted(List.of(new PaymentRefunded(ID, "re_2", Money.of(2500, "USD"), null, LATER))));
            Payment refunded = Payment.evolve(once, ((Decision.Accepted) rest).events().get(0));
            assertThat(refunded.status()).isEqualTo(PaymentStatus.REFUNDED);
            assertThat(refunded.refund("re_3", 1L, null, LATER)).isInstanceOfSatisfying(Decision.Rejected.class,
                    rejected -> assertThat(rejected.rejection()).isEqualTo(Rejection.PAYMENT_NOT_REFUNDABLE));
        }

        @Test
        void rejectsRefundsAboveWhatRemainsOfTheCapture() {
            Payment once = Payment.evolve(captured, new PaymentRefunded(ID, "re_1", Money.of(3000, "USD"), null, LATER));

            assertThat(once.refund("re_2", 1001L, null, LATER)).isInstanceOfSatisfying(Decision.Rejected.class,
                    rejected -> assertThat(rejected.rejection()).isEqualTo(Rejection.AMOUNT_TOO_LARGE));
        }

        @Test
        void aPaymentTakesAtMostOneHundredRefundsSoItsHistoryStaysBounded() {
            Payment refunded = captured;
            for (int i = 1; i <= Payment.REFUNDS_MAX; i++) {
                refunded = Payment.evolve(refunded, new PaymentRefunded(ID, "re_" + i, Money.of(1, "USD"), null, LATER));
            }

            assertThat(refunded.refundCount()).isEqualTo(100);
            assertThat(refunded.refund("re_101", 1L, null, LATER)).isInstanceOfSatisfying(Decision.Rejected.class,
                    rejected -> assertThat(rejected.rejection()).isEqualTo(Rejection.REFUND_LIMIT_REACHED));
        }

        @Test
        void rejectsRefundingAnAuthorizationThatWasNeverCaptured() {
            assertThat(Payments.anAuthorizedPayment(5000).refund("re_1", null, null, LATER)).isInstanceOfSatisfying(Decision.Rejected.class,
                    rejected -> assertThat(rejected.rejection()).isEqualTo(Rejection.PAYMENT_NOT_REFUNDABLE));
        }
    }

    @Nested
    class ProcessingAsynchronously {

        private final PaymentDetails paypal = new PaymentDetails("mer_fixture", Money.of(2500, "EUR"), PaymentMethodType.PAYPAL, null,
                CaptureMethod.AUTOMATIC, null, null, null, null);
        private final Payment processing = Payment.replay(Payment.startProcessing(ID, paypal, NOW));

        @Test
        void anAsynchronousPaymentStartsProcessingAndHoldsNothing() {
            assertThat(processing.status()).isEqualTo(PaymentStatus.PROCESSING);
            assertThat(processing.amountCapturable()).isZero();
            assertThat(processing.version()).isEqualTo(1);
        }

        @Test
        void theProcessorsApprovalAuthorizesAndCapturesKeepingTheCreationTime() {
            Decision decision = processing.completeProcessing(new AuthorizationOutcome.Approved("ABC123"), LATER);

            List<PaymentEvent> events = ((Decision.Accepted) decision).events();
            assertThat(events).containsExactly(new PaymentAuthorized(ID, paypal, "ABC123", LATER), new PaymentCaptured(ID, Money.of(2500, "EUR"), LATER));
            Payment completed = Payment.evolve(Payment.evolve(processing, events.get(0)), events.get(1));
            assertThat(completed.status()).isEqualTo(PaymentStatus.CAPTURED);
            assertThat(completed.version()).isEqualTo(3);
            assertThat(completed.createdAt()).isEqualTo(NOW);
            assertThat(completed.updatedAt()).isEqualTo(LATER);
        }

        @Test
        void aPaymentIsCompletedOnlyOnce() {
            Payment declined = Payment.evolve(processing, new PaymentDeclined(ID, paypal, "paypal_declined", LATER));

            assertThat(declined.status()).isEqualTo(PaymentStatus.DECLINED);
            assertThat(declined.completeProcessing(new AuthorizationOutcome.Approved("ABC123"), LATER))
                    .isInstanceOfSatisfying(Decision.Rejected.class, rejected -> assertThat(rejected.rejection()).isEqualTo(Rejection.PAYMENT_NOT_PROCESSING));
        }
    }

    @Nested
    class Settling {

        private final Payment captured = Payment.evolve(Payments.anAuthorizedPayment(5000), new PaymentCaptured(ID, Money.of(5000, "USD"), NOW));

        @Test
        void aCapturedPaymentIsSettledOnceWithItsFeeKeepingItsStatus() {
            Decision decision = captured.settle("st_1", Money.of(175, "USD"), LATER);

            assertThat(decision).isEqualTo(new Decision.Accepted(List.of(
                    new PaymentEvent.PaymentSettled(ID, "st_1", Money.of(5000, "USD"), Money.of(175, "USD"), LATER))));
            Payment settled = Payment.evolve(captured, ((Decision.Accepted) decision).events().get(0));
            assertThat(settled.settlementId()).isEqualTo("st_1");
            assertThat(settled.status()).isEqualTo(PaymentStatus.CAPTURED);
            assertThat(settled.capturedAt()).isEqualTo(NOW);
            assertThat(settled.updatedAt()).isEqualTo(LATER);
            assertThat(settled.settle("st_2", Money.of(175, "USD"), LATER)).isInstanceOfSatisfying(Decision.Rejected.class,
                    rejected -> assertThat(rejected.rejection()).isEqualTo(Rejection.PAYMENT_NOT_SETTLEABLE));
        }

        @Test
        void aRefundedPaymentIsSettledForWhatWasCapturedAndCanStillBeRefundedAfter() {
            Payment partlyRefunded = Payment.evolve(captured, new PaymentRefunded(ID, "re_1", Money.of(1000, "USD"), null, NOW));
            Decision decision = partlyRefunded.settle("st_1", Money.of(175, "USD"), LATER);

            Payment settled = Payment.evolve(partlyRefunded, ((Decision.Accepted) decision).events().get(0));
            assertThat(((PaymentEvent.PaymentSettled) ((Decision.Accepted) decision).events().get(0)).amount()).isEqualTo(Money.of(5000, "USD"));
            assertThat(settled.refund("re_2", 4000L, null, LATER)).isInstanceOf(Decision.Accepted.class);
        }

        @Test
        void anAuthorizedPaymentHasNothingToSettle() {
            assertThat(Payments.anAuthorizedPayment(5000).settle("st_1", Money.of(175, "USD"), LATER))
                    .isInstanceOfSatisfying(Decision.Rejected.class, rejected -> assertThat(rejected.rejection()).isEqualTo(Rejection.PAYMENT_NOT_SETTLEABLE));
        }
    }
}
