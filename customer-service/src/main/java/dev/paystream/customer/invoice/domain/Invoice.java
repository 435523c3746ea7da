package dev.paystream.customer.invoice.domain;

import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoiceCreated;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoicePaid;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoicePaymentApplied;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoicePaymentReversed;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoiceReopened;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoiceUpdated;
import dev.paystream.customer.invoice.domain.InvoiceEvent.InvoiceVoided;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An invoice's state, derived only from its events. Deciding ({@link #create}, {@link #edit},
 * {@link #voidInvoice}, {@link #applyPayment}, {@link #reversePayment}) is pure: it looks at the state
 * and a command and returns events or a named rejection. Evolving ({@link #evolve}) applies one event
 * and never refuses: an event is a fact that already happened.
 *
 * <p>{@code amount_paid} is the sum of what the payments still pay ({@link AppliedPayment}): each
 * capture adds, each refund takes back. The invoice is {@code open} while that is less than the
 * amount, {@code paid} once it is equal (never more: a payment may not exceed what is due), and
 * {@code void} for good once voided, which only an open invoice with nothing paid can be.
 *
 * @param payments the payments applied, by payment id, in the order they were applied
 * @param editCount how many edits the invoice has had; at most {@link #EDITS_MAX}
 * @param version  the sequence number of the last event applied; the next event gets {@code version + 1}
 */
public record Invoice(
        InvoiceId id,
        String merchantId,
        String customerId,
        InvoiceTerms terms,
        InvoiceStatus status,
        Money amountPaid,
        Map<String, AppliedPayment> payments,
        int editCount,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    /**
     * Every command replays the invoice's whole history, so the history is bounded: edits, and the
     * payments that pay one invoice (each with at most 100 refunds, payment-service's own limit).
     */
    public static final int EDITS_MAX = 100;
    public static final int PAYMENTS_MAX = 1_000;
    /** CONTRACT §4: metadata holds at most this many keys, also once an edit merged them. */
    public static final int METADATA_KEYS_MAX = 50;

    public Invoice {
        payments = Collections.unmodifiableMap(new LinkedHashMap<>(payments));
    }

    /** Decides the events of a new invoice. */
    public static List<InvoiceEvent> create(InvoiceId id, String merchantId, String customerId, InvoiceTerms terms, Instant now) {
        return List.of(new InvoiceCreated(id, merchantId, customerId, terms, now));
    }

    /** What the invoice still asks for. */
    public Money amountDue() {
        return terms.amount().minus(amountPaid);
    }

    /** Decides an edit of the terms; accepted with no event when it changes nothing. */
    public Decision edit(InvoiceEdit edit, Instant now) {
        if (status != InvoiceStatus.OPEN || amountPaid.amountMinor() > 0) {
            return new Decision.Rejected(Rejection.INVOICE_NOT_EDITABLE, "invoice " + id + " is " + describe()
                    + "; only an open invoice with nothing paid can be edited");
        }
        InvoiceTerms edited = edit.applyTo(terms);
        List<InvoiceField> changed = terms.differencesTo(edited);
        if (changed.isEmpty()) {
            return new Decision.Accepted(List.of());
        }
        if (edited.metadata().size() > METADATA_KEYS_MAX) {
            return new Decision.Rejected(Rejection.METADATA_KEYS_EXCEEDED, "metadata would hold " + edited.metadata().size()
                    + " keys; at most " + METADATA_KEYS_MAX + " are allowed");
        }
        if (editCount >= EDITS_MAX) {
            return new Decision.Rejected(Rejection.INVOICE_EDIT_LIMIT_REACHED, "invoice " + id + " has been edited " + EDITS_MAX
                    + " times, the most one invoice may be; void it and issue a new one");
        }
        return new Decision.Accepted(List.of(new InvoiceUpdated(id, edited, changed, now)));
    }

    /** Decides voiding the invoice. */
    public Decision voidInvoice(Instant now) {
        if (status != InvoiceStatus.OPEN || amountPaid.amountMinor() > 0) {
            return new Decision.Rejected(Rejection.INVOICE_NOT_VOIDABLE, "invoice " + id + " is " + describe()
                    + "; only an open invoice with nothing paid can be voided");
        }
        return new Decision.Accepted(List.of(new InvoiceVoided(id, now)));
    }

    /** Decides applying the capture of payment {@code paymentId}, of {@code amount}: it pays the invoice, and may complete it. */
    public Decision applyPayment(String paymentId, Money amount, Instant now) {
        if (payments.containsKey(paymentId)) {
            return new Decision.Rejected(Rejection.PAYMENT_ALREADY_APPLIED, "payment " + paymentId + " was applied to invoice " + id + " before");
        }
        if (status != InvoiceStatus.OPEN) {
            return new Decision.Rejected(Rejection.INVOICE_NOT_OPEN, "invoice " + id + " is " + status.wireName()
                    + "; the capture of " + amount + " by payment " + paymentId + " was not applied");
        }
        if (!amount.isIn(terms.amount().currency())) {
            return new Decision.Rejected(Rejection.CURRENCY_MISMATCH, "payment " + paymentId + " captured " + amount
                    + "; invoice " + id + " is in " + terms.amount().currencyCode());
        }
        if (amount.exceeds(amountDue())) {
            return new Decision.Rejected(Rejection.AMOUNT_EXCEEDS_DUE, "payment " + paymentId + " captured " + amount
                    + "; invoice " + id + " asks only for " + amountDue());
        }
        if (payments.size() >= PAYMENTS_MAX) {
            return new Decision.Rejected(Rejection.INVOICE_PAYMENT_LIMIT_REACHED, "invoice " + id + " has been paid by "
                    + PAYMENTS_MAX + " payments, the most one invoice may be");
        }
        List<InvoiceEvent> events = new ArrayList<>(2);
        events.add(new InvoicePaymentApplied(id, paymentId, amount, now));
        if (amount.equals(amountDue())) {
            events.add(new InvoicePaid(id, paymentId, now));
        }
        return new Decision.Accepted(events);
    }

    /**
     * Decides taking back refund {@code refundId} of payment {@code paymentId}, of {@code amount}:
     * less is paid, and a paid invoice is open again.
     */
    public Decision reversePayment(String paymentId, String refundId, Money amount, Instant now) {
        AppliedPayment applied = payments.get(paymentId);
        if (applied == null) {
            return new Decision.Rejected(Rejection.PAYMENT_NOT_APPLIED, "payment " + paymentId + " paid nothing on invoice " + id
                    + "; its refund " + refundId + " of " + amount + " was not taken back");
        }
        if (applied.refundIds().contains(refundId)) {
            return new Decision.Rejected(Rejection.REFUND_ALREADY_REVERSED, "refund " + refundId + " was taken back from invoice "
                    + id + " before");
        }
        if (!amount.isIn(terms.amount().currency())) {
            return new Decision.Rejected(Rejection.CURRENCY_MISMATCH, "refund " + refundId + " of " + amount + "; invoice " + id
                    + " is in " + terms.amount().currencyCode());
        }
        if (amount.exceeds(applied.amountStillApplied())) {
            return new Decision.Rejected(Rejection.AMOUNT_EXCEEDS_APPLIED, "refund " + refundId + " of " + amount + "; payment "
                    + paymentId + " still pays only " + applied.amountStillApplied() + " on invoice " + id);
        }
        List<InvoiceEvent> events = new ArrayList<>(2);
        events.add(new InvoicePaymentReversed(id, paymentId, refundId, amount, now));
        if (status == InvoiceStatus.PAID) {
            events.add(new InvoiceReopened(id, paymentId, refundId, now));
        }
        return new Decision.Accepted(events);
    }

    private String describe() {
        return amountPaid.amountMinor() > 0 && status == InvoiceStatus.OPEN ? "partly paid (" + amountPaid + ")" : status.wireName();
    }

    /** Rebuilds an invoice from its whole history, oldest first. */
    public static Invoice replay(List<? extends InvoiceEvent> history) {
        if (history.isEmpty()) {
            throw new IllegalArgumentException("an invoice has at least one event");
        }
        Invoice state = null;
        for (InvoiceEvent event : history) {
            state = evolve(state, event);
        }
        return state;
    }

    /** Applies one event to {@code state} ({@code null} before the first event). */
    public static Invoice evolve(Invoice state, InvoiceEvent event) {
        return event.accept(new Evolution(state));
    }

    /** What each kind of event makes of an invoice; it never refuses, an event is a fact. */
    private record Evolution(Invoice state) implements InvoiceEvent.Visitor<Invoice> {

        @Override
        public Invoice created(InvoiceCreated created) {
            return new Invoice(created.invoiceId(), created.merchantId(), created.customerId(), created.terms(), InvoiceStatus.OPEN,
                    Money.zero(created.terms().amount().currency()), Map.of(), 0, created.occurredAt(), created.occurredAt(), 1);
        }

        @Override
        public Invoice updated(InvoiceUpdated updated) {
            return new Invoice(state.id, state.merchantId, state.customerId, updated.terms(), state.status, state.amountPaid,
                    state.payments, state.editCount + 1, state.createdAt, updated.occurredAt(), state.version + 1);
        }

        @Override
        public Invoice paymentApplied(InvoicePaymentApplied applied) {
            Map<String, AppliedPayment> payments = new LinkedHashMap<>(state.payments);
            payments.put(applied.paymentId(), new AppliedPayment(applied.paymentId(), applied.amount(),
                    Money.zero(applied.amount().currency()), List.of(), applied.occurredAt(), null));
            return withPayments(payments, state.amountPaid.plus(applied.amount()), state.status, applied);
        }

        @Override
        public Invoice paymentReversed(InvoicePaymentReversed reversed) {
            Map<String, AppliedPayment> payments = new LinkedHashMap<>(state.payments);
            payments.put(reversed.paymentId(), payments.get(reversed.paymentId())
                    .reversedBy(reversed.refundId(), reversed.amount(), reversed.occurredAt()));
            return withPayments(payments, state.amountPaid.minus(reversed.amount()), state.status, reversed);
        }

        @Override
        public Invoice paid(InvoicePaid paid) {
            return withPayments(state.payments, state.amountPaid, InvoiceStatus.PAID, paid);
        }

        @Override
        public Invoice reopened(InvoiceReopened reopened) {
            return withPayments(state.payments, state.amountPaid, InvoiceStatus.OPEN, reopened);
        }

        @Override
        public Invoice voided(InvoiceVoided voided) {
            return withPayments(state.payments, state.amountPaid, InvoiceStatus.VOID, voided);
        }

        private Invoice withPayments(Map<String, AppliedPayment> payments, Money amountPaid, InvoiceStatus status, InvoiceEvent event) {
            return new Invoice(state.id, state.merchantId, state.customerId, state.terms, status, amountPaid, payments,
                    state.editCount, state.createdAt, event.occurredAt(), state.version + 1);
        }
    }
}
