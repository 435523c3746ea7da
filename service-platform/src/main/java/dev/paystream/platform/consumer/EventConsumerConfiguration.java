package dev.paystream.platform.consumer;

import dev.paystream.platform.ids.TimeOrderedIds;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * The idempotent consumer of a service that consumes events: claims, parked events, the factory of its
 * consumers, the operator's operations, a health indicator ({@code eventConsumers}, to be included
 * in the readiness group) and the consumer groups' lag ({@link ConsumerLag}, reported as
 * {@code paystream.consumer.lag}). A service declares each consumer as a bean made by {@link EventConsumers#create}.
 */
@Configuration(proxyBeanMethods = false)
public class EventConsumerConfiguration {

    @Bean
    EventConsumerProperties eventConsumerProperties(
            @Value("${paystream.consumer.retry-backoff-first:200ms}") Duration retryBackoffFirst,
            @Value("${paystream.consumer.retry-backoff-max:30s}") Duration retryBackoffMax,
            @Value("${paystream.consumer.unknown-failure-attempts:8}") int unknownFailureAttempts,
            @Value("${paystream.consumer.apply-timeout:30s}") Duration applyTimeout,
            @Value("${paystream.consumer.stuck-after:60s}") Duration stuckAfter,
            @Value("${paystream.consumer.parked-refresh:30s}") Duration parkedRefresh) {
        return new EventConsumerProperties(retryBackoffFirst, retryBackoffMax, unknownFailureAttempts, applyTimeout, stuckAfter,
                parkedRefresh);
    }

    @Bean
    ParkedEvents parkedEvents(DatabaseClient database) {
        return new R2dbcParkedEvents(database, new TimeOrderedIds(Clock.systemUTC()));
    }

    @Bean
    EventClaims eventClaims(DatabaseClient database, TransactionalOperator transactions) {
        return new EventClaims(database, transactions);
    }

    /**
     * Consumers read with Spring Boot's consumer settings ({@code spring.kafka.consumer.*}: servers,
     * {@code max-poll-records}, offsets reset, no auto-commit) but always with String keys and values:
     * a value that is not valid UTF-8 decodes with replacement characters instead of failing before the
     * consumer could park it.
     */
    @Bean
    EventConsumers eventConsumers(ConsumerFactory<?, ?> bootConsumerFactory, ParkedEvents parkedEvents, EventConsumerProperties properties,
                                  MeterRegistry meters) {
        DefaultKafkaConsumerFactory<String, String> kafkaConsumers = new DefaultKafkaConsumerFactory<>(
                bootConsumerFactory.getConfigurationProperties(), new StringDeserializer(), new StringDeserializer());
        // Kafka's own consumer metrics, among them records-lag-max per partition: the consumer's lag.
        kafkaConsumers.addListener(new MicrometerConsumerListener<>(meters));
        return new EventConsumers(kafkaConsumers, parkedEvents, properties, meters, Clock.systemUTC());
    }

    @Bean
    ParkedEventOperations parkedEventOperations(ParkedEvents parkedEvents, EventConsumers consumers) {
        return new ParkedEventOperations(parkedEvents, consumers);
    }

    /**
     * The admin-only parked-events endpoint, under the path the service gives it
     * ({@code paystream.consumer.parked-events-path}); none when it gives none.
     */
    @Bean
    @ConditionalOnProperty(name = "paystream.consumer.parked-events-path")
    ParkedEventsController parkedEventsController(ParkedEventOperations operations) {
        return new ParkedEventsController(operations);
    }

    /** The lag of consumer groups, read from the broker with the application's Kafka admin settings. */
    @Bean(destroyMethod = "close")
    ConsumerLag consumerLag(KafkaAdmin kafkaAdmin) {
        return new ConsumerLag(kafkaAdmin.getConfigurationProperties());
    }

    @Bean
    ConsumerLagGauges consumerLagGauges(EventConsumers consumers, ConsumerLag lag, MeterRegistry meters,
                                        @Value("${paystream.consumer.lag-refresh:15s}") Duration refresh) {
        return new ConsumerLagGauges(consumers, lag, meters, refresh);
    }

    @Bean
    EventConsumersHealthIndicator eventConsumersHealthIndicator(EventConsumers consumers) {
        return new EventConsumersHealthIndicator(consumers);
    }
}
