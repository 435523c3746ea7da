package dev.paystream.payment.payment.domain;

/** CONTRACT §5 statuses; {@link #wireName()} is how the API and events spell them. */
public enum PaymentStatus {
    PROCESSING, AUTHORIZED, CAPTURED, PARTIALLY_REFUNDED, REFUNDED, DECLINED, FAILED, CANCELED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
