package dev.paystream.customer.config;

import dev.paystream.customer.customer.CustomerStore;
import dev.paystream.platform.outbox.OutboxWriter;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import tools.jackson.databind.json.JsonMapper;

/** The customers feature, wired explicitly: one store, read and written by its controller. */
@Configuration(proxyBeanMethods = false)
public class CustomerConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    CustomerStore customerStore(DatabaseClient database, TransactionalOperator transactions, OutboxWriter outbox, JsonMapper jsonMapper) {
        return new CustomerStore(database, transactions, outbox, jsonMapper);
    }
}
