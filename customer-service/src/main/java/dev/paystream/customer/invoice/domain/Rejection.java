package dev.paystream.customer.invoice.domain;

import java.util.Locale;

/**
 * Why a command on an invoice was refused: named facts, not exceptions. {@link #code()} is the API's
 * error code for the merchant's commands, and the reason a payment event is parked for the others.
 */
public enum Rejection {
    /** Only an open invoice with nothing paid can be edited. */
    INVOICE_NOT_EDITABLE,
    /** An invoice may be edited at most {@link Invoice#EDITS_MAX} times. */
    INVOICE_EDIT_LIMIT_REACHED,
    /** Metadata may hold at most {@link Invoice#METADATA_KEYS_MAX} keys, also once an edit merged them. */
    METADATA_KEYS_EXCEEDED,
    /** Only an open invoice with nothing paid can be voided. */
    INVOICE_NOT_VOIDABLE,
    /** Only an open invoice can be paid: not a paid one, not a void one. */
    INVOICE_NOT_OPEN,
    /** A payment or refund in another currency than the invoice's. */
    CURRENCY_MISMATCH,
    /** A payment may not pay more than the invoice still asks for. */
    AMOUNT_EXCEEDS_DUE,
    /** Each payment pays an invoice once. */
    PAYMENT_ALREADY_APPLIED,
    /** An invoice may be paid by at most {@link Invoice#PAYMENTS_MAX} payments. */
    INVOICE_PAYMENT_LIMIT_REACHED,
    /** A refund can only take back what its payment paid on this invoice. */
    PAYMENT_NOT_APPLIED,
    /** Each refund is taken back once. */
    REFUND_ALREADY_REVERSED,
    /** A refund may not take back more than its payment still pays on the invoice. */
    AMOUNT_EXCEEDS_APPLIED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
