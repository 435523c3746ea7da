package dev.paystream.payment.payment.application;

/**
 * The append of a payment was refused because, with it, the payments against its invoice would exceed
 * the invoice's amount: another payment against the same invoice won the race since the check.
 */
public final class InvoiceDueExceeded extends RuntimeException {

    public InvoiceDueExceeded(String invoiceId, Throwable cause) {
        super("payments would exceed what is due on invoice " + invoiceId, cause);
    }
}
