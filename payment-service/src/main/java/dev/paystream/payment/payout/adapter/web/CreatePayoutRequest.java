package dev.paystream.payment.payout.adapter.web;

import java.util.Map;

/** The body of {@code POST /v1/payouts} (CONTRACT §6), exactly as sent; validated by {@link PayoutController}. */
public record CreatePayoutRequest(
        String customerId,
        Long amount,
        String currency,
        String method,
        String description,
        Map<String, String> metadata) {
}
