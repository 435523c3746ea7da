package dev.paystream.payment.config;

import dev.paystream.events.Topics;
import dev.paystream.payment.payment.application.PaymentReferences;
import dev.paystream.payment.projection.R2dbcPaymentReferences;
import dev.paystream.payment.projection.ReferenceProjection;
import dev.paystream.platform.consumer.ConsumerLag;
import dev.paystream.platform.consumer.EventClaims;
import dev.paystream.platform.consumer.EventConsumer;
import dev.paystream.platform.consumer.EventConsumers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The customers and invoices payments are checked against, projected from their topics (CONTRACT §4, §5; docs/adr/0005).
 * The projection's {@link ConsumerLag} is the platform consumer's ({@code EventConsumerConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
public class ProjectionConfiguration {

    private static final List<String> TOPICS = List.of(Topics.CUSTOMERS, Topics.INVOICES);

    @Bean
    EventConsumer referenceProjectionConsumer(EventConsumers consumers, EventClaims claims, DatabaseClient database,
                                              @Value("${spring.kafka.consumer.group-id}") String groupId) {
        return consumers.create(EventConsumer.Definition.of(ReferenceProjection.CONSUMER, groupId, TOPICS,
                new ReferenceProjection(database, claims)));
    }

    @Bean
    PaymentReferences paymentReferences(DatabaseClient database, ConsumerLag lag,
                                        @Value("${spring.kafka.consumer.group-id}") String groupId,
                                        @Value("${paystream.references.poll-interval:20ms}") Duration pollInterval,
                                        @Value("${paystream.references.settle-time:2s}") Duration settleTime,
                                        @Value("${paystream.references.wait-max:5s}") Duration waitMax,
                                        @Value("${paystream.references.recent-ids:5m}") Duration recentIds, Clock clock) {
        return new R2dbcPaymentReferences(database, lag, groupId, TOPICS,
                new R2dbcPaymentReferences.Waiting(pollInterval, settleTime, waitMax, recentIds), clock);
    }
}
