package dev.paystream.payment.payment.domain;

/** Whether an approved authorization is captured at once or waits for an explicit capture. */
public enum CaptureMethod {
    AUTOMATIC, MANUAL;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
