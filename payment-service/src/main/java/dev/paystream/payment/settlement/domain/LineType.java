package dev.paystream.payment.settlement.domain;

import java.util.Locale;

/** What a line of a settlement settles: a captured payment, or a refund (a negative line). */
public enum LineType {
    PAYMENT, REFUND;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
