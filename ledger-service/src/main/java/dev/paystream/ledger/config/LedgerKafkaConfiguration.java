package dev.paystream.ledger.config;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * How the ledger's consumer handles a batch that fails to apply: it never skips it. Spring Boot hands
 * this error handler to the listener container, which keeps the consumer paused (still a member of
 * its group) and delivers the same batch again after 200 ms, doubling up to 30 s, without end, until
 * it applies. Offsets are committed only after a batch applied.
 */
@Configuration(proxyBeanMethods = false)
public class LedgerKafkaConfiguration {

    private static final Logger log = LoggerFactory.getLogger(LedgerKafkaConfiguration.class);
    static final Duration RETRY_BACKOFF_FIRST = Duration.ofMillis(200);
    static final Duration RETRY_BACKOFF_MAX = Duration.ofSeconds(30);
    /** Attempts logged as warnings before each further failure is logged as an error. */
    private static final int RETRY_WARNINGS_MAX = 5;

    @Bean
    CommonErrorHandler ledgerErrorHandler(MeterRegistry meters) {
        ExponentialBackOff backOff = new ExponentialBackOff(RETRY_BACKOFF_FIRST.toMillis(), 2.0);
        backOff.setMaxInterval(RETRY_BACKOFF_MAX.toMillis());
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        backOff.setMaxAttempts(Long.MAX_VALUE);
        DefaultErrorHandler handler = new DefaultErrorHandler(backOff);
        handler.setRetryListeners(new RetryListener() {
            @Override
            public void failedDelivery(ConsumerRecord<?, ?> record, Exception failure, int attempt) {
                onRetry(record.topic() + "-" + record.partition() + "@" + record.offset(), failure, attempt);
            }

            @Override
            public void failedDelivery(ConsumerRecords<?, ?> records, Exception failure, int attempt) {
                onRetry(records.count() + " records from " + records.partitions(), failure, attempt);
            }

            private void onRetry(String what, Exception failure, int attempt) {
                meters.counter("ledger.events.retries").increment();
                if (attempt <= RETRY_WARNINGS_MAX) {
                    log.warn("Could not apply {} (attempt {}), retrying: {}", what, attempt, describe(failure));
                } else {
                    log.error("Could not apply {} (attempt {}); consumption waits until they apply: {}", what, attempt,
                            describe(failure), failure);
                }
            }
        });
        return handler;
    }

    /** The failure on one line: its type and the message of its root cause, e.g. the database's own words. */
    private static String describe(Throwable failure) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
        String message = String.valueOf(cause.getMessage()).replaceAll("\\s+", " ");
        return failure.getClass().getSimpleName() + (cause == failure ? "" : " caused by " + cause.getClass().getSimpleName()) + ": " + message;
    }
}
