package dev.paystream.platform.inbox;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/** The idempotent-consumer inbox of a service that consumes events. */
@Configuration(proxyBeanMethods = false)
public class InboxConfiguration {

    @Bean
    ProcessedEvents processedEvents(DatabaseClient database) {
        return new ProcessedEvents(database);
    }
}
