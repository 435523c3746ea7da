package dev.paystream.payment.payment.adapter.metrics;

import dev.paystream.payment.payment.domain.Money;
import dev.paystream.payment.payment.domain.Payment;
import dev.paystream.payment.payment.domain.PaymentDetails;
import dev.paystream.payment.payment.domain.PaymentEvent;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentAuthorized;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentCanceled;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentCaptured;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentDeclined;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentFailed;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentProcessingStarted;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentRefunded;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentSettled;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * The business metrics of payments (CONTRACT §12), counted from the events a payment command
 * committed, so that a command that failed, or a repeat answered from its idempotency key, counts
 * nothing. Tags are low-cardinality: outcome, method, currency and the processor's codes, never an id
 * or an amount.
 *
 * <ul>
 *   <li>{@code paystream.payments{outcome, method, currency}}: each payment once, when its authorization
 *       is decided ({@code authorized}, {@code declined}, {@code failed}); an asynchronous method's
 *       payment when its processor answers;</li>
 *   <li>{@code paystream.payment.amount{outcome, currency}}: the same payments' amounts, in minor units;</li>
 *   <li>{@code paystream.payment.declines{code, method}} and {@code paystream.payment.failures{code, method}}:
 *       the processor's decline and failure codes;</li>
 *   <li>{@code paystream.payment.captures{currency}}, {@code paystream.payment.capture.amount{currency}},
 *       {@code paystream.payment.cancels{currency}};</li>
 *   <li>{@code paystream.refunds{currency}} and {@code paystream.refund.amount{currency}}.</li>
 * </ul>
 */
public final class PaymentMetrics {

    private final MeterRegistry meters;

    public PaymentMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Counts {@code events}, committed for a payment that they left as {@code after}. */
    public void committed(List<PaymentEvent> events, Payment after) {
        Counting counting = new Counting(after.details());
        for (PaymentEvent event : events) {
            event.accept(counting);
        }
    }

    private final class Counting implements PaymentEvent.Visitor<Void> {

        private final String method;

        private Counting(PaymentDetails details) {
            this.method = details.method().wireName();
        }

        @Override
        public Void processingStarted(PaymentProcessingStarted event) {
            // Counted once the processor answers: a payment is counted by the outcome of its authorization.
            return null;
        }

        @Override
        public Void authorized(PaymentAuthorized event) {
            return decided("authorized", event.details().amount());
        }

        @Override
        public Void declined(PaymentDeclined event) {
            meters.counter("paystream.payment.declines", "code", codeOf(event.declineCode()), "method", method).increment();
            return decided("declined", event.details().amount());
        }

        @Override
        public Void failed(PaymentFailed event) {
            meters.counter("paystream.payment.failures", "code", codeOf(event.failureCode()), "method", method).increment();
            return decided("failed", event.details().amount());
        }

        private Void decided(String outcome, Money amount) {
            meters.counter("paystream.payments", "outcome", outcome, "method", method, "currency", amount.currencyCode()).increment();
            amountSummary("paystream.payment.amount", "Amounts of payments whose authorization was decided, in minor units",
                    amount.currencyCode()).tag("outcome", outcome).register(meters).record(amount.amountMinor());
            return null;
        }

        @Override
        public Void captured(PaymentCaptured event) {
            meters.counter("paystream.payment.captures", "currency", event.amount().currencyCode()).increment();
            amountSummary("paystream.payment.capture.amount", "Amounts captured, in minor units", event.amount().currencyCode())
                    .register(meters).record(event.amount().amountMinor());
            return null;
        }

        @Override
        public Void canceled(PaymentCanceled event) {
            meters.counter("paystream.payment.cancels", "currency", event.amountReleased().currencyCode()).increment();
            return null;
        }

        @Override
        public Void refunded(PaymentRefunded event) {
            meters.counter("paystream.refunds", "currency", event.amount().currencyCode()).increment();
            amountSummary("paystream.refund.amount", "Amounts refunded, in minor units", event.amount().currencyCode())
                    .register(meters).record(event.amount().amountMinor());
            return null;
        }

        @Override
        public Void settled(PaymentSettled event) {
            // Settlement counts its batches and lines itself (paystream.settlements, paystream.settlement.lines).
            return null;
        }
    }

    /** A tag value is never null: a code the processor did not give is "unknown". */
    private static String codeOf(String code) {
        return code == null || code.isBlank() ? "unknown" : code;
    }

    private static DistributionSummary.Builder amountSummary(String name, String description, String currency) {
        return DistributionSummary.builder(name).description(description).tag("currency", currency);
    }
}
