package dev.paystream.payment.payout.domain;

import dev.paystream.payment.payment.domain.Money;
import java.util.Map;

/** What the merchant said about a payout when creating it; it never changes afterwards. */
public record PayoutDetails(
        String merchantId,
        String customerId,
        Money amount,
        PayoutMethod method,
        String description,
        Map<String, String> metadata) {

    public PayoutDetails {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
