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
import reactor.core.publisher.Mono;

/**
 * Guards every processor call: each attempt is bounded by a timeout, processor errors are retried
 * with backoff, and a circuit breaker stops calling a processor that keeps failing. What still fails
 * becomes a {@code failed} payment with a failure code; an open breaker records nothing and is
 * reported as {@link ProcessorUnavailable} (a 503 with {@code Retry-After}).
 */
public final class ResilientCardProcessor implements CardProcessor {

    public static final String PROCESSING_ERROR = "processing_error";
    public static final String PROCESSOR_TIMEOUT = "processor_timeout";

    private final CardProcessor processor;
    private final TimeLimiter timeLimiter;
    private final Retry retry;
    private final CircuitBreaker circuitBreaker;
    private final Duration openStateWait;

    public ResilientCardProcessor(CardProcessor processor, TimeLimiter timeLimiter, Retry retry, CircuitBreaker circuitBreaker,
                                  Duration openStateWait) {
        this.openStateWait = openStateWait;
        this.processor = processor;
        this.timeLimiter = timeLimiter;
        this.retry = retry;
        this.circuitBreaker = circuitBreaker;
    }

    @Override
    public Mono<AuthorizationOutcome> authorize(PaymentCard card, Money amount) {
        return Mono.defer(() -> processor.authorize(card, amount))
                .transformDeferred(TimeLimiterOperator.of(timeLimiter))
                .transformDeferred(RetryOperator.of(retry))
                .transformDeferred(CircuitBreakerOperator.of(circuitBreaker))
                .onErrorResume(ProcessorError.class, error -> Mono.just(new AuthorizationOutcome.Failed(PROCESSING_ERROR)))
                .onErrorResume(TimeoutException.class, timeout -> Mono.just(new AuthorizationOutcome.Failed(PROCESSOR_TIMEOUT)))
                .onErrorMap(CallNotPermittedException.class, open -> new ProcessorUnavailable(openStateWait, open));
    }
}
