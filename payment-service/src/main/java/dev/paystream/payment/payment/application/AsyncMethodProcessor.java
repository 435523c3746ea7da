package dev.paystream.payment.payment.application;

import dev.paystream.payment.payment.domain.AuthorizationOutcome;
import dev.paystream.payment.payment.domain.Money;
import dev.paystream.payment.payment.domain.PaymentMethodType;
import reactor.core.publisher.Mono;

/** The processor of asynchronous methods (paypal, bank_transfer), asked once a payment's processing delay is over. */
public interface AsyncMethodProcessor {

    Mono<AuthorizationOutcome> authorize(PaymentMethodType method, Money amount);
}
