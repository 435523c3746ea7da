package dev.paystream.payment.payment.application;

import dev.paystream.payment.payment.domain.CaptureMethod;
import dev.paystream.payment.payment.domain.Money;
import dev.paystream.payment.payment.domain.PaymentCard;
import dev.paystream.payment.payment.domain.PaymentMethodType;
import java.util.Map;

/** Authorize a new payment (and capture it at once unless {@code captureMethod} is manual). Input already validated. */
public record CreatePayment(
        String merchantId,
        Money amount,
        PaymentMethodType method,
        PaymentCard card,
        CaptureMethod captureMethod,
        String customerId,
        String invoiceId,
        String description,
        Map<String, String> metadata) {
}
