package dev.paystream.ledger.journal.domain;

import java.util.Locale;

/**
 * The ledger's reconciliation checks: what it can verify from the events it consumed alone, without asking
 * payment-service (ADR 0006, "Drift"). Each finds a difference in minor units of one currency, 0 when the
 * ledger agrees with itself and with what payment-service said in its events. A difference may show for a
 * moment while the two topics are consumed (a batch's {@code settlement.completed} read before its
 * {@code payment.settled} events); one that lasts is drift.
 */
public enum DriftCheck {

    /** Per merchant and currency, debits − credits of every line (the database refuses entries that break it). */
    TRIAL_BALANCE("per merchant and currency, the journal's debits equal its credits"),
    /** Per batch, {@code gross_amount} − Σ {@code amount} of the {@code payment.settled} events naming it. */
    SETTLEMENT_GROSS("a batch's gross_amount is the sum of the amounts of the payments it settled"),
    /** Per batch, {@code fee_amount} − Σ {@code fee_amount} of the {@code payment.settled} events naming it. */
    SETTLEMENT_FEES("a batch's fee_amount is the sum of the fees of the payments it settled"),
    /** Per settled payment, the settled {@code amount} − what the ledger posted as its captures. */
    SETTLED_CAPTURES("a settled payment's amount is what the ledger posted as its captures"),
    /**
     * Per merchant and currency, the batches' {@code refunded_amount} beyond the refunds the ledger posted
     * (refunds have no event at settlement, so only this bound can be checked).
     */
    SETTLEMENT_REFUNDS("the batches settled no more refunds than the ledger posted"),
    /**
     * Per merchant and currency, the clearing account {@code merchant_pending} − (captures of payments not
     * settled − refunds not settled), where a payment is settled once its {@code payment.settled} was read
     * and refunds not settled are those posted less the batches' {@code refunded_amount}: what the
     * batches moved out of pending is what they settled.
     */
    MERCHANT_PENDING("merchant_pending holds exactly the captures not settled less the refunds not settled");

    private final String description;

    DriftCheck(String description) {
        this.description = description;
    }

    /** The check's name, as the metric's {@code check} tag and the API show it, e.g. {@code settlement_gross}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String description() {
        return description;
    }
}
