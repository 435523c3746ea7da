package dev.paystream.customer.invoice.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Fixtures: invoices and their histories as tests need them. */
final class Invoices {

    static final Instant NOW = Instant.parse("2026-11-23T18:30:00Z");
    static final Instant LATER = NOW.plusSeconds(60);
    static final InvoiceId ID = new InvoiceId("inv_fixture");

    private Invoices() {
    }

    static InvoiceTerms terms(long amount) {
        return new InvoiceTerms(usd(amount), "Order #123", LocalDate.of(2026, 12, 31), Map.of("order_id", "123"));
    }

    static Money usd(long amount) {
        return Money.of(amount, "USD");
    }

    static Invoice anOpenInvoice(long amount) {
        return Invoice.replay(Invoice.create(ID, "mer_fixture", "unixuser1", terms(amount), NOW));
    }

    /** {@code invoice} once the events {@code decision} accepted have been applied; fails when it was rejected. */
    static Invoice after(Invoice invoice, Decision decision) {
        Invoice state = invoice;
        for (InvoiceEvent event : accepted(decision)) {
            state = Invoice.evolve(state, event);
        }
        return state;
    }

    static List<InvoiceEvent> accepted(Decision decision) {
        if (decision instanceof Decision.Accepted accepted) {
            return accepted.events();
        }
        throw new AssertionError("expected the command to be accepted, was " + decision);
    }

    /** An open invoice of {@code amount} USD on which payment {@code paymentId} paid {@code paid}. */
    static Invoice paidBy(long amount, String paymentId, long paid) {
        Invoice open = anOpenInvoice(amount);
        return after(open, open.applyPayment(paymentId, usd(paid), LATER));
    }

    static InvoiceEdit amountTo(long amount) {
        return new InvoiceEdit(amount, false, null, false, null, null);
    }
}
