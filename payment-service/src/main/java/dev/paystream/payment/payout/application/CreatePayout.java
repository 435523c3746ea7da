package dev.paystream.payment.payout.application;

import dev.paystream.payment.payment.domain.Money;
import dev.paystream.payment.payout.domain.PayoutMethod;
import java.util.Map;

/** Pay {@code amount} of the merchant's available balance out to customer {@code customerId}. Input already validated. */
public record CreatePayout(String merchantId, String customerId, Money amount, PayoutMethod method, String description,
                           Map<String, String> metadata) {
}
