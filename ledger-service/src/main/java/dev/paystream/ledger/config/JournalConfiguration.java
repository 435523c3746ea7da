package dev.paystream.ledger.config;

import dev.paystream.ledger.journal.adapter.kafka.EnvelopeReader;
import dev.paystream.ledger.journal.adapter.kafka.PaymentEventsListener;
import dev.paystream.ledger.journal.adapter.r2dbc.R2dbcJournal;
import dev.paystream.ledger.journal.adapter.r2dbc.R2dbcLedgerQueries;
import dev.paystream.ledger.journal.adapter.r2dbc.R2dbcRejectedEvents;
import dev.paystream.ledger.journal.application.EventPosting;
import dev.paystream.ledger.journal.application.JournalEntryIds;
import dev.paystream.ledger.journal.application.LedgerQueries;
import dev.paystream.ledger.journal.application.PostingRules;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/** The journal feature, wired explicitly: rules, the posting service, its adapters and the Kafka listener. */
@Configuration(proxyBeanMethods = false)
public class JournalConfiguration {

    @Bean
    EventPosting eventPosting(DatabaseClient database) {
        return new EventPosting(PostingRules.v1(), new R2dbcJournal(database), new R2dbcRejectedEvents(database),
                new JournalEntryIds());
    }

    @Bean
    LedgerQueries ledgerQueries(DatabaseClient database) {
        return new R2dbcLedgerQueries(database);
    }

    @Bean
    PaymentEventsListener paymentEventsListener(EventPosting eventPosting, MeterRegistry meters) {
        return new PaymentEventsListener(new EnvelopeReader(), eventPosting, meters);
    }
}
