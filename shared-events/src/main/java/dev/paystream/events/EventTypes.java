package dev.paystream.events;

/** The {@code type} names of CONTRACT §11, exactly as they appear on the wire and in webhook subscriptions. */
public final class EventTypes {

    /**
     * An extension of CONTRACT §11: an asynchronous payment (paypal, bank_transfer) was accepted and
     * awaits the processor; {@code payment.authorized} and the rest follow.
     */
    public static final String PAYMENT_PROCESSING = "payment.processing";
    public static final String PAYMENT_AUTHORIZED = "payment.authorized";
    public static final String PAYMENT_DECLINED = "payment.declined";
    public static final String PAYMENT_CAPTURED = "payment.captured";
    public static final String PAYMENT_CANCELED = "payment.canceled";
    public static final String PAYMENT_REFUNDED = "payment.refunded";
    public static final String PAYMENT_FAILED = "payment.failed";
    public static final String PAYMENT_SETTLED = "payment.settled";
    public static final String PAYOUT_CREATED = "payout.created";
    public static final String PAYOUT_PAID = "payout.paid";
    public static final String PAYOUT_FAILED = "payout.failed";
    public static final String CUSTOMER_CREATED = "customer.created";
    public static final String CUSTOMER_UPDATED = "customer.updated";
    public static final String INVOICE_CREATED = "invoice.created";
    public static final String INVOICE_UPDATED = "invoice.updated";
    public static final String INVOICE_PAYMENT_APPLIED = "invoice.payment_applied";
    public static final String INVOICE_PAYMENT_REVERSED = "invoice.payment_reversed";
    public static final String INVOICE_PAID = "invoice.paid";
    public static final String INVOICE_REOPENED = "invoice.reopened";
    public static final String INVOICE_VOIDED = "invoice.voided";

    private EventTypes() {
    }
}
