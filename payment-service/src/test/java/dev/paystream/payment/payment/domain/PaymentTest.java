package dev.paystream.payment.payment.domain;

import static dev.paystream.payment.payment.domain.Payments.ID;
import static dev.paystream.payment.payment.domain.Payments.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.payment.payment.domain.PaymentEvent.PaymentAuthorized;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentCaptured;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentDeclined;
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
}
