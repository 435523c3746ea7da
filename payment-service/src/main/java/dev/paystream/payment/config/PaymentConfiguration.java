package dev.paystream.payment.config;

import dev.paystream.payment.payment.adapter.contract.PaymentContractMapper;
import dev.paystream.payment.payment.adapter.metrics.MeteredPaymentEventStore;
import dev.paystream.payment.payment.adapter.metrics.PaymentMetrics;
import dev.paystream.payment.payment.adapter.processor.SimulatedCardProcessor;
import dev.paystream.payment.payment.adapter.r2dbc.PaymentReadModel;
import dev.paystream.payment.payment.adapter.r2dbc.PendingCompletions;
import dev.paystream.payment.payment.adapter.r2dbc.RefundReadModel;
import dev.paystream.payment.payment.domain.PaymentId;
import dev.paystream.platform.workqueue.WorkQueue;
import dev.paystream.platform.workqueue.WorkQueueWorker;
import dev.paystream.payment.payment.adapter.r2dbc.R2dbcPaymentEventStore;
import dev.paystream.payment.payment.application.CardProcessor;
import dev.paystream.payment.payment.application.PaymentCommandHandler;
import dev.paystream.payment.payment.application.PaymentEventStore;
import dev.paystream.payment.payment.application.PaymentReferences;
import dev.paystream.platform.outbox.OutboxWriter;
import dev.paystream.payment.payment.adapter.processor.ProcessorError;
import dev.paystream.payment.payment.adapter.processor.ResilientCardProcessor;
import dev.paystream.payment.payment.adapter.processor.SimulatedAsyncMethodProcessor;
import dev.paystream.payment.payment.application.AsyncMethodProcessor;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.json.JsonMapper;

/** The payment aggregate's wiring: event store, read model, contract, processor and command handler. */
@Configuration(proxyBeanMethods = false)
public class PaymentConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    PaymentContractMapper paymentContractMapper(JsonMapper jsonMapper) {
        return new PaymentContractMapper(jsonMapper);
    }

    @Bean
    PaymentReadModel paymentReadModel(DatabaseClient database, JsonMapper jsonMapper) {
        return new PaymentReadModel(database, jsonMapper);
    }

    @Bean
    RefundReadModel refundReadModel(DatabaseClient database) {
        return new RefundReadModel(database);
    }

    /** The payments' event store; settlement appends the payments' payment.settled events through it too. */
    @Bean
    R2dbcPaymentEventStore paymentEventStore(DatabaseClient database, OutboxWriter outbox,
                                             PaymentContractMapper contract, PaymentReadModel readModel, RefundReadModel refunds,
                                             @Value("${paystream.async-methods.completion-delay:2s}") Duration completionDelay) {
        return new R2dbcPaymentEventStore(database, outbox, contract, readModel, refunds,
                new PendingCompletions(new WorkQueue(database, PendingCompletions.QUEUE), completionDelay));
    }

    @Bean
    AsyncMethodProcessor asyncMethodProcessor() {
        return new SimulatedAsyncMethodProcessor();
    }

    /**
     * Completes asynchronous payments once their processing delay is over, from the work queue, so
     * that payments accepted before a restart are completed after it. Several instances may run it:
     * each item runs on one at a time, and a payment is only completed while it is still processing.
     */
    @Bean
    WorkQueueWorker paymentCompletionWorker(DatabaseClient database, PaymentCommandHandler commands, MeterRegistry meters,
                                            @Value("${paystream.async-methods.poll-interval:250ms}") Duration pollInterval) {
        return new WorkQueueWorker(new WorkQueue(database, PendingCompletions.QUEUE),
                item -> commands.completeProcessing(item.payload(), new PaymentId(item.key())).then(),
                new WorkQueueWorker.Settings(50, pollInterval, Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMinutes(5), 20),
                meters);
    }

    /** The processor circuit breaker; a bean so that operators (and tests) can see and move its state. */
    @Bean
    CircuitBreaker processorCircuitBreaker(MeterRegistry meters,
                                           @Value("${paystream.processor.circuit-breaker.failure-rate-threshold:50}") float failureRateThreshold,
                                           @Value("${paystream.processor.circuit-breaker.minimum-calls:10}") int minimumCalls,
                                           @Value("${paystream.processor.circuit-breaker.window-size:20}") int windowSize,
                                           @Value("${paystream.processor.circuit-breaker.open-wait:10s}") Duration openWait) {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(failureRateThreshold)
                .minimumNumberOfCalls(minimumCalls)
                .slidingWindowSize(windowSize)
                .waitDurationInOpenState(openWait)
                .permittedNumberOfCallsInHalfOpenState(3)
                .ignoreExceptions(ResilientCardProcessor.IGNORED_BY_THE_BREAKER)
                .build());
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
        return registry.circuitBreaker("card-processor");
    }

    @Bean
    CardProcessor cardProcessor(CircuitBreaker processorCircuitBreaker, MeterRegistry meters,
                                @Value("${paystream.processor.timeout:2s}") Duration timeout,
                                @Value("${paystream.processor.retry.max-attempts:3}") int maxAttempts,
                                @Value("${paystream.processor.retry.wait:100ms}") Duration retryWait,
                                @Value("${paystream.processor.slow-answer-delay:3s}") Duration slowAnswerDelay,
                                @Value("${paystream.processor.circuit-breaker.open-wait:10s}") Duration openWait) {
        RetryRegistry retries = RetryRegistry.of(RetryConfig.custom()
                .maxAttempts(maxAttempts)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(retryWait, 2.0))
                .retryExceptions(ProcessorError.class)
                .build());
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(meters);
        TimeLimiter timeLimiter = TimeLimiter.of("card-processor", TimeLimiterConfig.custom().timeoutDuration(timeout).build());
        return new ResilientCardProcessor(new SimulatedCardProcessor(slowAnswerDelay), timeLimiter,
                retries.retry("card-processor"), processorCircuitBreaker, openWait, SimulatedCardProcessor::choosesFailure);
    }

    /** What the commands append through the store is counted in the business metrics ({@link PaymentMetrics}) once committed. */
    @Bean
    PaymentCommandHandler paymentCommandHandler(PaymentEventStore store, CardProcessor processor,
                                                AsyncMethodProcessor asyncMethodProcessor, PaymentReferences references, Clock clock,
                                                MeterRegistry meters) {
        return new PaymentCommandHandler(new MeteredPaymentEventStore(store, new PaymentMetrics(meters)), processor, asyncMethodProcessor,
                references, clock);
    }
}
