package dev.paystream.ledger.config;

import dev.paystream.events.Topics;
import dev.paystream.ledger.journal.adapter.kafka.JournalEventsHandler;
import dev.paystream.ledger.journal.adapter.metrics.DriftGauges;
import dev.paystream.ledger.journal.adapter.r2dbc.R2dbcJournal;
import dev.paystream.ledger.journal.adapter.r2dbc.R2dbcLedgerQueries;
import dev.paystream.ledger.journal.application.EventPosting;
import dev.paystream.ledger.journal.application.JournalEntryIds;
import dev.paystream.ledger.journal.application.LedgerQueries;
import dev.paystream.ledger.journal.application.PostingRules;
import dev.paystream.platform.consumer.EventConsumer;
import dev.paystream.platform.consumer.EventConsumers;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/** The journal feature, wired explicitly: rules, the posting service, its adapters and the consumer of the events that move money. */
@Configuration(proxyBeanMethods = false)
public class JournalConfiguration {

    @Bean
    EventPosting eventPosting(DatabaseClient database) {
        return new EventPosting(PostingRules.v1(), new R2dbcJournal(database, JournalEventsHandler.CONSUMER), new JournalEntryIds());
    }

    @Bean
    LedgerQueries ledgerQueries(DatabaseClient database) {
        return new R2dbcLedgerQueries(database);
    }

    /** {@code paystream.ledger.drift{check,currency}}, the drift checks run every {@code paystream.ledger.drift.refresh}. */
    @Bean
    DriftGauges driftGauges(LedgerQueries queries, MeterRegistry meters,
                            @Value("${paystream.ledger.drift.refresh:30s}") Duration refresh) {
        return new DriftGauges(queries, meters, refresh);
    }

    /**
     * The consumer of the events that move money (payments, payouts, settlements), in the ledger's consumer
     * group. Its retries are also counted as
     * {@code ledger.events.retries}, the ledger's counter from before the platform consumer.
     */
    @Bean
    EventConsumer paymentEventsConsumer(EventConsumers consumers, EventPosting eventPosting, MeterRegistry meters,
                                        @Value("${spring.kafka.consumer.group-id}") String groupId) {
        return consumers.create(EventConsumer.Definition.of(JournalEventsHandler.CONSUMER, groupId, List.of(Topics.PAYMENTS, Topics.SETTLEMENTS),
                        new JournalEventsHandler(eventPosting, meters))
                .withOnRetry(failure -> meters.counter("ledger.events.retries").increment()));
    }
}
