package dev.paystream.payment.payment.adapter.processor;

import dev.paystream.payment.payment.application.AsyncMethodProcessor;
import dev.paystream.payment.payment.domain.AuthorizationOutcome;
import dev.paystream.payment.payment.domain.Money;
import dev.paystream.payment.payment.domain.PaymentMethodType;
import java.security.SecureRandom;
import java.util.HexFormat;
import reactor.core.publisher.Mono;

/**
 * Simulates PayPal and bank transfers: once a payment's processing delay is over they approve it,
 * except the amounts that end in {@code 02} ("declined by the payer's bank") — a way for tests and
 * demos to see an asynchronous decline.
 */
public final class SimulatedAsyncMethodProcessor implements AsyncMethodProcessor {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public Mono<AuthorizationOutcome> authorize(PaymentMethodType method, Money amount) {
        if (amount.amountMinor() % 100 == 2) {
            return Mono.just(new AuthorizationOutcome.Declined(method == PaymentMethodType.PAYPAL ? "paypal_declined" : "bank_declined"));
        }
        byte[] code = new byte[3];
        RANDOM.nextBytes(code);
        return Mono.just(new AuthorizationOutcome.Approved(HexFormat.of().withUpperCase().formatHex(code)));
    }
}
