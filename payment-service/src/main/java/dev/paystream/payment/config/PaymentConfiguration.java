package dev.paystream.payment.config;

import dev.paystream.payment.payment.adapter.kafka.PaymentEventTranslator;
import dev.paystream.payment.payment.adapter.processor.SimulatedCardProcessor;
import dev.paystream.payment.payment.adapter.r2dbc.PaymentReadModel;
import dev.paystream.payment.payment.adapter.r2dbc.R2dbcPaymentEventStore;
import dev.paystream.payment.payment.application.CardProcessor;
import dev.paystream.payment.payment.application.PaymentCommandHandler;
import dev.paystream.payment.payment.application.PaymentEventStore;
import dev.paystream.platform.outbox.OutboxWriter;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import tools.jackson.databind.json.JsonMapper;

/** The payment aggregate's wiring: event store, read model, translator, processor and command handler. */
@Configuration(proxyBeanMethods = false)
public class PaymentConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    PaymentEventTranslator paymentEventTranslator(JsonMapper jsonMapper) {
        return new PaymentEventTranslator(jsonMapper);
    }

    @Bean
    PaymentReadModel paymentReadModel(DatabaseClient database, JsonMapper jsonMapper) {
        return new PaymentReadModel(database, jsonMapper);
    }

    @Bean
    PaymentEventStore paymentEventStore(DatabaseClient database, TransactionalOperator transactions, OutboxWriter outbox,
                                        PaymentEventTranslator translator, PaymentReadModel readModel) {
        return new R2dbcPaymentEventStore(database, transactions, outbox, translator, readModel);
    }

    @Bean
    CardProcessor cardProcessor() {
        return new SimulatedCardProcessor();
    }

    @Bean
    PaymentCommandHandler paymentCommandHandler(PaymentEventStore store, CardProcessor processor, Clock clock) {
        return new PaymentCommandHandler(store, processor, clock);
    }
}
