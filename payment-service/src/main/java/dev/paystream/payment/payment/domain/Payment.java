package dev.paystream.payment.payment.domain;

import dev.paystream.payment.payment.domain.AuthorizationOutcome.Approved;
import dev.paystream.payment.payment.domain.AuthorizationOutcome.Declined;
import dev.paystream.payment.payment.domain.AuthorizationOutcome.Failed;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentAuthorized;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentCanceled;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentCaptured;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentDeclined;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentFailed;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentProcessingStarted;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentRefunded;
import dev.paystream.payment.payment.domain.PaymentEvent.PaymentSettled;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A payment's state, derived only from its events. Deciding ({@link #authorize}, {@link #capture}, {@link #cancel}, {@link #refund}) is
 * pure: it looks at the state and a command and returns events or a named rejection, without
 * changing anything. Evolving ({@link #evolve}) applies one event and never refuses: an event is a
 * fact that already happened.
 *
 * @param version      the sequence number of the last event applied; the next event gets {@code version + 1}
 * @param refundCount  how many refunds the payment has had; at most {@link #REFUNDS_MAX}
 * @param capturedAt   when the money was captured; null before
 * @param settlementId the settlement batch its captured money was settled in; null before
 */
public record Payment(
        PaymentId id,
        PaymentDetails details,
        PaymentStatus status,
        long amountCapturable,
        long amountCaptured,
        long amountRefunded,
        String authCode,
        String declineCode,
        String failureCode,
        Instant createdAt,
        Instant updatedAt,
        long version,
        int refundCount,
        Instant capturedAt,
        String settlementId) {

    /**
     * Refunds one payment may have. Every command replays the payment's whole history, so the
     * history is bounded: without a limit, refunds of one minor unit could grow it without end.
     */
    public static final int REFUNDS_MAX = 100;

    /** Decides the events of a new payment from the processor's answer. */
    public static List<PaymentEvent> authorize(PaymentId id, PaymentDetails details, AuthorizationOutcome outcome, Instant now) {
        Objects.requireNonNull(outcome, "outcome");
        if (outcome instanceof Declined declined) {
            return List.of(new PaymentDeclined(id, details, declined.declineCode(), now));
        }
        if (outcome instanceof Failed failed) {
            return List.of(new PaymentFailed(id, details, failed.failureCode(), now));
        }
        List<PaymentEvent> events = new ArrayList<>();
        events.add(new PaymentAuthorized(id, details, ((Approved) outcome).authCode(), now));
        if (details.captureMethod() == CaptureMethod.AUTOMATIC) {
            events.add(new PaymentCaptured(id, details.amount(), now));
        }
        return events;
    }

    /**
     * Decides whether a new payment may pay {@code invoice} (CONTRACT §5): same currency, the same
     * customer when the payment names one, an open invoice, and no more than is still due. Empty when
     * it may.
     */
    public static Optional<Decision.Rejected> checkAgainstInvoice(PaymentDetails details, InvoiceTerms invoice) {
        if (!invoice.currencyCode().equals(details.amount().currencyCode())) {
            return Optional.of(new Decision.Rejected(Rejection.INVOICE_MISMATCH, "invoice " + invoice.invoiceId() + " is in "
                    + invoice.currencyCode() + ", the payment in " + details.amount().currencyCode(), "currency"));
        }
        if (details.customerId() != null && !details.customerId().equals(invoice.customerId())) {
            return Optional.of(new Decision.Rejected(Rejection.INVOICE_MISMATCH, "invoice " + invoice.invoiceId()
                    + " is for another customer", "customer_id"));
        }
        if (!InvoiceTerms.OPEN.equals(invoice.status())) {
            return Optional.of(new Decision.Rejected(Rejection.INVOICE_NOT_OPEN, "invoice " + invoice.invoiceId() + " is "
                    + invoice.status() + ", only an open invoice can be paid", "invoice_id"));
        }
        if (details.amount().amountMinor() > invoice.amountDue()) {
            return Optional.of(new Decision.Rejected(Rejection.AMOUNT_EXCEEDS_INVOICE_DUE, "amount "
                    + details.amount().amountMinor() + " exceeds the " + invoice.amountDue() + " still due on invoice " + invoice.invoiceId()
                    + " after the payments already made or pending", "amount"));
        }
        return Optional.empty();
    }

    /**
     * What this payment holds against its invoice: all of it while processing, what is capturable
     * while authorized, what was captured and not refunded after; nothing once declined, failed or
     * canceled.
     */
    public long amountHeldForInvoice() {
        if (status == PaymentStatus.PROCESSING) {
            return details.amount().amountMinor();
        }
        return amountCapturable + amountCaptured - amountRefunded;
    }

    /** Decides the start of an asynchronous payment, which the processor completes later. */
    public static List<PaymentEvent> startProcessing(PaymentId id, PaymentDetails details, Instant now) {
        return List.of(new PaymentProcessingStarted(id, details, now));
    }

    /** Decides what the processor's late answer makes of a {@code processing} payment. */
    public Decision completeProcessing(AuthorizationOutcome outcome, Instant now) {
        if (status != PaymentStatus.PROCESSING) {
            return new Decision.Rejected(Rejection.PAYMENT_NOT_PROCESSING, "payment " + id + " is " + status.wireName() + ", not processing");
        }
        return new Decision.Accepted(authorize(id, details, outcome, now));
    }

    /**
     * Decides a capture of {@code amountMinor} in the payment's currency, or of everything capturable
     * when it is null.
     */
    public Decision capture(Long amountMinor, Instant now) {
        if (status != PaymentStatus.AUTHORIZED) {
            return new Decision.Rejected(Rejection.PAYMENT_NOT_CAPTURABLE, "payment " + id + " is " + status.wireName() + ", not authorized");
        }
        Money capturable = new Money(amountCapturable, details.amount().currency());
        Money requested = amountMinor == null ? capturable : new Money(amountMinor, capturable.currency());
        if (requested.exceeds(capturable)) {
            return new Decision.Rejected(Rejection.AMOUNT_TOO_LARGE,
                    "amount " + requested.amountMinor() + " exceeds the capturable " + capturable.amountMinor());
        }
        return new Decision.Accepted(List.of(new PaymentCaptured(id, requested, now)));
    }

    /** Decides the release of an authorization that was never captured. */
    public Decision cancel(Instant now) {
        if (status != PaymentStatus.AUTHORIZED) {
            return new Decision.Rejected(Rejection.PAYMENT_NOT_CANCELABLE, "payment " + id + " is " + status.wireName()
                    + (status == PaymentStatus.CAPTURED ? "; refund it instead" : "") + ", only an authorized payment can be canceled");
        }
        return new Decision.Accepted(List.of(new PaymentCanceled(id, new Money(amountCapturable, details.amount().currency()), now)));
    }

    /**
     * Decides a refund of {@code amountMinor} (all that is still refundable when null). The sum of all
     * refunds never exceeds the captured amount.
     */
    public Decision refund(String refundId, Long amountMinor, String reason, Instant now) {
        if (status != PaymentStatus.CAPTURED && status != PaymentStatus.PARTIALLY_REFUNDED) {
            return new Decision.Rejected(Rejection.PAYMENT_NOT_REFUNDABLE, "payment " + id + " is " + status.wireName()
                    + ", only captured money can be refunded");
        }
        if (refundCount >= REFUNDS_MAX) {
            return new Decision.Rejected(Rejection.REFUND_LIMIT_REACHED, "payment " + id + " has had " + REFUNDS_MAX
                    + " refunds, the most one payment may have");
        }
        Money refundable = new Money(amountCaptured - amountRefunded, details.amount().currency());
        Money requested = amountMinor == null ? refundable : new Money(amountMinor, refundable.currency());
        if (requested.exceeds(refundable)) {
            return new Decision.Rejected(Rejection.AMOUNT_TOO_LARGE,
                    "amount " + requested.amountMinor() + " exceeds the refundable " + refundable.amountMinor());
        }
        return new Decision.Accepted(List.of(new PaymentRefunded(id, refundId, requested, reason, now)));
    }

    /**
     * Decides the settlement of the captured money in batch {@code settlementId} with {@code fee} (the
     * settlement's fee rule applied to the captured amount). Refunds are settled as lines of their own, so a
     * payment refunded in part or in full is settled all the same; each payment is settled once.
     */
    public Decision settle(String settlementId, Money fee, Instant now) {
        Objects.requireNonNull(settlementId, "settlementId");
        if (amountCaptured == 0 || this.settlementId != null) {
            return new Decision.Rejected(Rejection.PAYMENT_NOT_SETTLEABLE, "payment " + id + " is " + status.wireName()
                    + (this.settlementId != null ? ", settled in " + this.settlementId : ", with nothing captured"));
        }
        return new Decision.Accepted(List.of(new PaymentSettled(id, settlementId, new Money(amountCaptured, details.amount().currency()),
                fee, now)));
    }

    /** Rebuilds a payment from its whole history, oldest first. */
    public static Payment replay(List<? extends PaymentEvent> history) {
        if (history.isEmpty()) {
            throw new IllegalArgumentException("a payment has at least one event");
        }
        Payment state = null;
        for (PaymentEvent event : history) {
            state = evolve(state, event);
        }
        return state;
    }

    /** Applies one event to {@code state} ({@code null} before the first event). */
    public static Payment evolve(Payment state, PaymentEvent event) {
        return event.accept(new Evolution(state));
    }

    /** What each kind of event makes of a payment; it never refuses, an event is a fact. */
    private record Evolution(Payment state) implements PaymentEvent.Visitor<Payment> {

        // A payment's first event creates it; an asynchronous payment gets its outcome as a later event.
        private Instant createdAt(PaymentEvent event) {
            return state == null ? event.occurredAt() : state.createdAt;
        }

        private long version() {
            return state == null ? 1 : state.version + 1;
        }

        @Override
        public Payment processingStarted(PaymentProcessingStarted started) {
            return new Payment(started.paymentId(), started.details(), PaymentStatus.PROCESSING,
                    0, 0, 0, null, null, null, createdAt(started), started.occurredAt(), version(), 0, null, null);
        }

        @Override
        public Payment authorized(PaymentAuthorized authorized) {
            return new Payment(authorized.paymentId(), authorized.details(), PaymentStatus.AUTHORIZED,
                    authorized.details().amount().amountMinor(), 0, 0, authorized.authCode(), null, null,
                    createdAt(authorized), authorized.occurredAt(), version(), 0, null, null);
        }

        @Override
        public Payment declined(PaymentDeclined declined) {
            return new Payment(declined.paymentId(), declined.details(), PaymentStatus.DECLINED,
                    0, 0, 0, null, declined.declineCode(), null, createdAt(declined), declined.occurredAt(), version(), 0, null, null);
        }

        @Override
        public Payment failed(PaymentFailed failed) {
            return new Payment(failed.paymentId(), failed.details(), PaymentStatus.FAILED,
                    0, 0, 0, null, null, failed.failureCode(), createdAt(failed), failed.occurredAt(), version(), 0, null, null);
        }

        @Override
        public Payment captured(PaymentCaptured captured) {
            // One capture per payment (CONTRACT §5): what it leaves of the authorization is released.
            return new Payment(state.id, state.details, PaymentStatus.CAPTURED, 0, captured.amount().amountMinor(),
                    state.amountRefunded, state.authCode, state.declineCode, state.failureCode, state.createdAt, captured.occurredAt(),
                    version(), state.refundCount, captured.occurredAt(), state.settlementId);
        }

        @Override
        public Payment canceled(PaymentCanceled canceled) {
            return new Payment(state.id, state.details, PaymentStatus.CANCELED, 0, state.amountCaptured,
                    state.amountRefunded, state.authCode, state.declineCode, state.failureCode, state.createdAt, canceled.occurredAt(),
                    version(), state.refundCount, state.capturedAt, state.settlementId);
        }

        @Override
        public Payment refunded(PaymentRefunded refunded) {
            long amountRefunded = state.amountRefunded + refunded.amount().amountMinor();
            PaymentStatus status = amountRefunded == state.amountCaptured ? PaymentStatus.REFUNDED : PaymentStatus.PARTIALLY_REFUNDED;
            return new Payment(state.id, state.details, status, 0, state.amountCaptured, amountRefunded,
                    state.authCode, state.declineCode, state.failureCode, state.createdAt, refunded.occurredAt(), version(),
                    state.refundCount + 1, state.capturedAt, state.settlementId);
        }

        @Override
        public Payment settled(PaymentSettled settled) {
            // Settling changes where the money is, not what happened to the payment: its status stays.
            return new Payment(state.id, state.details, state.status, state.amountCapturable, state.amountCaptured, state.amountRefunded,
                    state.authCode, state.declineCode, state.failureCode, state.createdAt, settled.occurredAt(), version(),
                    state.refundCount, state.capturedAt, settled.settlementId());
        }
    }

    public String merchantId() {
        return details.merchantId();
    }
}
