package dev.paystream.customer.config;

import dev.paystream.customer.customer.CustomerStore;
import dev.paystream.customer.invoice.adapter.contract.InvoiceContractMapper;
import dev.paystream.customer.invoice.adapter.kafka.PaymentEventsHandler;
import dev.paystream.customer.invoice.adapter.r2dbc.InvoiceReadModel;
import dev.paystream.customer.invoice.adapter.r2dbc.R2dbcInvoiceEventStore;
import dev.paystream.customer.invoice.application.InvoiceCommandHandler;
import dev.paystream.customer.invoice.application.InvoiceEventStore;
import dev.paystream.events.Topics;
import dev.paystream.platform.consumer.EventClaims;
import dev.paystream.platform.consumer.EventConsumer;
import dev.paystream.platform.consumer.EventConsumers;
import dev.paystream.platform.outbox.OutboxWriter;
import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The invoice aggregate's wiring: event store, read model, contract, command handler, and the consumer
 * of payment events that pays invoices. Invoices are issued to the customers of {@link CustomerStore}.
 */
@Configuration(proxyBeanMethods = false)
public class InvoiceConfiguration {

    @Bean
    InvoiceContractMapper invoiceContractMapper(JsonMapper jsonMapper) {
        return new InvoiceContractMapper(jsonMapper);
    }

    @Bean
    InvoiceReadModel invoiceReadModel(DatabaseClient database, JsonMapper jsonMapper) {
        return new InvoiceReadModel(database, jsonMapper);
    }

    @Bean
    InvoiceEventStore invoiceEventStore(DatabaseClient database, OutboxWriter outbox, InvoiceContractMapper contract,
                                        InvoiceReadModel readModel) {
        return new R2dbcInvoiceEventStore(database, outbox, contract, readModel);
    }

    @Bean
    InvoiceCommandHandler invoiceCommandHandler(InvoiceEventStore store, CustomerStore customers, Clock clock) {
        return new InvoiceCommandHandler(store, customers::exists, clock);
    }

    /** The consumer of payment events that pays invoices, in customer-service's consumer group. */
    @Bean
    EventConsumer invoicePaymentsConsumer(EventConsumers consumers, EventClaims claims, InvoiceCommandHandler commands,
                                          OutboxWriter outbox, @Value("${spring.kafka.consumer.group-id}") String groupId) {
        return consumers.create(EventConsumer.Definition.of(PaymentEventsHandler.CONSUMER, groupId, List.of(Topics.PAYMENTS),
                new PaymentEventsHandler(claims, commands, outbox)));
    }
}
