package dev.paystream.payment.config;

import dev.paystream.payment.balance.Balances;
import dev.paystream.payment.payment.application.PaymentReferences;
import dev.paystream.payment.payout.adapter.contract.PayoutContractMapper;
import dev.paystream.payment.payout.adapter.processor.SimulatedPayoutProcessor;
import dev.paystream.payment.payout.adapter.r2dbc.PayoutReadModel;
import dev.paystream.payment.payout.adapter.r2dbc.R2dbcPayoutEventStore;
import dev.paystream.payment.payout.application.PayoutCommandHandler;
import dev.paystream.payment.payout.application.PayoutEventStore;
import dev.paystream.payment.payout.domain.PayoutId;
import dev.paystream.platform.outbox.OutboxWriter;
import dev.paystream.platform.workqueue.WorkQueue;
import dev.paystream.platform.workqueue.WorkQueueWorker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.json.JsonMapper;

/** Payouts (CONTRACT §6) and the balances they draw on: event store, read model, simulated bank, completion worker. */
@Configuration(proxyBeanMethods = false)
public class PayoutConfiguration {

    @Bean
    Balances balances(DatabaseClient database) {
        return new Balances(database);
    }

    @Bean
    PayoutReadModel payoutReadModel(DatabaseClient database, JsonMapper jsonMapper) {
        return new PayoutReadModel(database, jsonMapper);
    }

    @Bean
    PayoutEventStore payoutEventStore(DatabaseClient database, OutboxWriter outbox, JsonMapper jsonMapper, PayoutReadModel readModel,
                                      @Value("${paystream.payouts.completion-delay:2s}") Duration completionDelay) {
        return new R2dbcPayoutEventStore(database, outbox, new PayoutContractMapper(jsonMapper), readModel,
                new WorkQueue(database, R2dbcPayoutEventStore.COMPLETIONS), completionDelay);
    }

    @Bean
    PayoutCommandHandler payoutCommandHandler(PayoutEventStore store, PaymentReferences references, Balances balances, Clock clock,
                                              MeterRegistry meters) {
        return new PayoutCommandHandler(store, new SimulatedPayoutProcessor(), references, balances, clock, meters);
    }

    /**
     * Completes pending payouts once their delay is over, from the work queue, so that payouts created
     * before a restart are completed after it. Several instances may run it: each item runs on one at a
     * time, and only a pending payout is completed.
     */
    @Bean
    WorkQueueWorker payoutCompletionWorker(DatabaseClient database, PayoutCommandHandler commands, MeterRegistry meters,
                                           @Value("${paystream.payouts.poll-interval:250ms}") Duration pollInterval) {
        return new WorkQueueWorker(new WorkQueue(database, R2dbcPayoutEventStore.COMPLETIONS),
                item -> commands.complete(item.payload(), new PayoutId(item.key())).then(),
                new WorkQueueWorker.Settings(50, pollInterval, Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMinutes(5), 20),
                meters);
    }
}
