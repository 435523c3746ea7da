package dev.paystream.payment.payment.application;

import dev.paystream.payment.payment.domain.AuthorizationOutcome;
import dev.paystream.payment.payment.domain.Money;
import dev.paystream.payment.payment.domain.PaymentCard;
import reactor.core.publisher.Mono;

/** The card processor behind Paystream: here a simulator that follows the test-card table of CONTRACT §5. */
public interface CardProcessor {

    Mono<AuthorizationOutcome> authorize(PaymentCard card, Money amount);
}
