package dev.paystream.platform.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.support.ProducerListener;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * The outbox of a service that publishes events: a writer for its transactions, the relay that
 * publishes, and the backlog's gauges ({@link OutboxBacklogGauges}).
 */
@Configuration(proxyBeanMethods = false)
public class OutboxConfiguration {

    @Bean
    OutboxRelay outboxRelay(DatabaseClient database, TransactionalOperator transactions, ProducerFactory<String, String> producers,
                            MeterRegistry meters,
                            @Value("${paystream.outbox.batch-size:200}") int batchSize,
                            @Value("${paystream.outbox.poll-interval:100ms}") Duration pollInterval,
                            @Value("${paystream.outbox.linger:25ms}") Duration linger,
                            @Value("${paystream.outbox.send-timeout:10s}") Duration sendTimeout,
                            @Value("${paystream.outbox.backoff-max:5s}") Duration backoffMax,
                            @Value("${paystream.outbox.lock-idle-timeout:15s}") Duration lockIdleTimeout,
                            @Value("${paystream.outbox.vacuum-after-rows:10000}") long vacuumAfterRows) {
        // The relay reports failures itself; the template's default listener would log every payload.
        KafkaTemplate<String, String> kafka = new KafkaTemplate<>(producers);
        kafka.setProducerListener(new ProducerListener<>() { });
        return new OutboxRelay(database, transactions, kafka,
                new OutboxRelayProperties(batchSize, pollInterval, linger, sendTimeout, backoffMax, lockIdleTimeout, vacuumAfterRows), meters);
    }

    @Bean(destroyMethod = "close")
    OutboxBacklogGauges outboxBacklogGauges(DatabaseClient database, MeterRegistry meters,
                                            @Value("${paystream.outbox.gauge-refresh:10s}") Duration refresh) {
        return new OutboxBacklogGauges(database, meters, Clock.systemUTC(), refresh);
    }

    @Bean
    OutboxWriter outboxWriter(DatabaseClient database, OutboxRelay relay) {
        return new OutboxWriter(database, relay);
    }
}
