package dev.paystream.payment.payment.adapter.processor;

import dev.paystream.payment.payment.application.CardProcessor;
import dev.paystream.payment.payment.domain.AuthorizationOutcome;
import dev.paystream.payment.payment.domain.Money;
import dev.paystream.payment.payment.domain.PaymentCard;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * A card processor that behaves like a real one for the test cards of CONTRACT §5: approvals with an
 * authorization code, declines with the documented decline codes, an error on every call for
 * {@value #FAILING_CARD}, and an answer only after {@code slowAnswerDelay} for {@value #SLOW_CARD}.
 * Any other valid card is approved.
 */
public final class SimulatedCardProcessor implements CardProcessor {

    static final String FAILING_CARD = "4000000000000119";
    static final String SLOW_CARD = "4000000000003220";

    static final Map<String, String> DECLINING_CARDS = Map.of(
            "4000000000000002", "card_declined",
            "4000000000009995", "insufficient_funds",
            "4000000000000069", "expired_card",
            "4000000000000127", "incorrect_cvc");

    private static final String AUTH_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Duration slowAnswerDelay;

    public SimulatedCardProcessor(Duration slowAnswerDelay) {
        this.slowAnswerDelay = slowAnswerDelay;
    }

    /** Whether {@code card} is a test card that asks for a processor error or a slow answer. */
    public static boolean choosesFailure(PaymentCard card) {
        return FAILING_CARD.equals(card.number()) || SLOW_CARD.equals(card.number());
    }

    @Override
    public Mono<AuthorizationOutcome> authorize(PaymentCard card, Money amount) {
        if (FAILING_CARD.equals(card.number())) {
            return Mono.error(() -> new ProcessorError("processing_error"));
        }
        if (SLOW_CARD.equals(card.number())) {
            return Mono.delay(slowAnswerDelay).map(tick -> new AuthorizationOutcome.Approved(authCode()));
        }
        String declineCode = DECLINING_CARDS.get(card.number());
        if (declineCode != null) {
            return Mono.just(new AuthorizationOutcome.Declined(declineCode));
        }
        return Mono.just(new AuthorizationOutcome.Approved(authCode()));
    }

    private static String authCode() {
        StringBuilder code = new StringBuilder(6);
        for (int i = 0; i < 6; i++) {
            code.append(AUTH_CODE_ALPHABET.charAt(RANDOM.nextInt(AUTH_CODE_ALPHABET.length())));
        }
        return code.toString();
    }
}
