package dev.paystream.payment.payment.adapter.processor;

import dev.paystream.payment.payment.application.CardProcessor;
import dev.paystream.payment.payment.application.ProcessorUnavailable;
import dev.paystream.payment.payment.domain.AuthorizationOutcome;
import dev.paystream.payment.payment.domain.Money;
import dev.paystream.payment.payment.domain.PaymentCard;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import reactor.core.publisher.Mono;

/**
 * Guards every processor call: each attempt is bounded by a timeout, processor errors are retried
 * with backoff, and a circuit breaker stops calling a processor that keeps failing. What still fails
 * becomes a {@code failed} payment with a failure code; an open breaker records nothing and is
 * reported as {@link ProcessorUnavailable} (a 503 with {@code Retry-After}).
 *
 * <p>The breaker is shared by every merchant, so it counts only failures of the processor itself. An
 * error or a timeout that a test card asks for ({@code outcomeChosenByCard}) is the outcome the
 * merchant requested, not a sign of a failing processor: it still fails the payment, after the same
 * retries, but the breaker ignores it. Otherwise ten payments with 4000000000000119 every ten
 * seconds kept the breaker open and every merchant's card payments got 503s.
 */
public final class ResilientCardProcessor implements CardProcessor {

    public static final String PROCESSING_ERROR = "processing_error";
    public static final String PROCESSOR_TIMEOUT = "processor_timeout";
    /** What the processor's circuit breaker must ignore. */
    public static final Class<? extends Throwable> IGNORED_BY_THE_BREAKER = OutcomeChosenByCard.class;

    /** A failure a test card asked for; it passes the circuit breaker without counting. */
    private static final class OutcomeChosenByCard extends RuntimeException {
        OutcomeChosenByCard(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private final CardProcessor processor;
    private final TimeLimiter timeLimiter;
    private final Retry retry;
    private final CircuitBreaker circuitBreaker;
    private final Duration openStateWait;
    private final Predicate<PaymentCard> outcomeChosenByCard;

    /** @param circuitBreaker must ignore {@link OutcomeChosenByCard} (see {@link #IGNORED_BY_THE_BREAKER}) */
    public ResilientCardProcessor(CardProcessor processor, TimeLimiter timeLimiter, Retry retry, CircuitBreaker circuitBreaker,
                                  Duration openStateWait, Predicate<PaymentCard> outcomeChosenByCard) {
        this.openStateWait = openStateWait;
        this.outcomeChosenByCard = outcomeChosenByCard;
        this.processor = processor;
        this.timeLimiter = timeLimiter;
        this.retry = retry;
        this.circuitBreaker = circuitBreaker;
    }

    @Override
    public Mono<AuthorizationOutcome> authorize(PaymentCard card, Money amount) {
        boolean chosenByCard = outcomeChosenByCard.test(card);
        return Mono.defer(() -> processor.authorize(card, amount))
                .transformDeferred(TimeLimiterOperator.of(timeLimiter))
                .transformDeferred(RetryOperator.of(retry))
                .onErrorMap(failure -> chosenByCard, OutcomeChosenByCard::new)
                .transformDeferred(CircuitBreakerOperator.of(circuitBreaker))
                .onErrorMap(OutcomeChosenByCard.class, Throwable::getCause)
                .onErrorResume(ProcessorError.class, error -> Mono.just(new AuthorizationOutcome.Failed(PROCESSING_ERROR)))
                .onErrorResume(TimeoutException.class, timeout -> Mono.just(new AuthorizationOutcome.Failed(PROCESSOR_TIMEOUT)))
                .onErrorMap(CallNotPermittedException.class, open -> new ProcessorUnavailable(openStateWait, open));
    }
}
