package dev.paystream.payment.payment.domain;

import java.time.Instant;
import java.util.Map;

/** Fixtures: payments and their histories as tests need them. */
final class Payments {

    static final Instant NOW = Instant.parse("2026-11-23T18:30:00Z");
    static final PaymentId ID = new PaymentId("pay_fixture");

    private Payments() {
    }

    static PaymentDetails details(long amount, CaptureMethod captureMethod) {
        return new PaymentDetails("mer_fixture", Money.of(amount, "USD"), PaymentMethodType.CARD,
                new CardSummary("visa", "4242", 12, 2030), captureMethod, "unixuser1", null, "Order #123", Map.of("order_id", "123"));
    }

    static PaymentEvent.PaymentAuthorized authorized(long amount) {
        return new PaymentEvent.PaymentAuthorized(ID, details(amount, CaptureMethod.MANUAL), "A1B2C3", NOW);
    }

    static Payment anAuthorizedPayment(long amount) {
        return Payment.replay(java.util.List.of(authorized(amount)));
    }
}
