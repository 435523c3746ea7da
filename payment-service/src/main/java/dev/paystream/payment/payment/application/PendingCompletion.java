package dev.paystream.payment.payment.application;

import dev.paystream.payment.payment.domain.PaymentId;

/** An asynchronous payment whose processing delay is over and which awaits the processor's answer. */
public record PendingCompletion(PaymentId paymentId, String merchantId) {
}
