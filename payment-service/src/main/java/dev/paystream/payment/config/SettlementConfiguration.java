package dev.paystream.payment.config;

import dev.paystream.payment.payment.adapter.r2dbc.R2dbcPaymentEventStore;
import dev.paystream.payment.settlement.adapter.contract.SettlementContractMapper;
import dev.paystream.payment.settlement.adapter.r2dbc.R2dbcSettlementStore;
import dev.paystream.payment.settlement.adapter.r2dbc.SettlementReadModel;
import dev.paystream.payment.settlement.adapter.schedule.DailySettlementSchedule;
import dev.paystream.payment.settlement.application.SettlementRunner;
import dev.paystream.payment.settlement.application.SettlementStore;
import dev.paystream.payment.settlement.domain.FeeRule;
import dev.paystream.payment.settlement.domain.SettlementId;
import dev.paystream.platform.outbox.OutboxWriter;
import dev.paystream.platform.workqueue.WorkQueue;
import dev.paystream.platform.workqueue.WorkQueueWorker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.json.JsonMapper;

/** Settlement (CONTRACT §8): batches on demand and on a schedule, their fee rule, their resumption, their files. */
@Configuration(proxyBeanMethods = false)
public class SettlementConfiguration {

    /** The work queue of the daily schedule's occurrences. */
    public static final String SCHEDULE_QUEUE = "settlement-schedule";

    @Bean
    FeeRule settlementFeeRule(@Value("${paystream.settlement.fee.percent:2.9}") String percent,
                              @Value("${paystream.settlement.fee.fixed:30}") long fixed) {
        return FeeRule.of(percent, fixed);
    }

    @Bean
    SettlementStore settlementStore(DatabaseClient database, OutboxWriter outbox, JsonMapper jsonMapper, R2dbcPaymentEventStore payments,
                                    @Value("${paystream.settlement.resume-after:2m}") Duration resumeAfter) {
        return new R2dbcSettlementStore(database, outbox, new SettlementContractMapper(jsonMapper), payments,
                new WorkQueue(database, R2dbcSettlementStore.RUNS), resumeAfter);
    }

    @Bean
    SettlementReadModel settlementReadModel(DatabaseClient database, @Value("${paystream.settlement.page-size:1000}") int pageSize) {
        return new SettlementReadModel(database, pageSize);
    }

    @Bean
    SettlementRunner settlementRunner(SettlementStore store, FeeRule fees, Clock clock, MeterRegistry meters,
                                      @Value("${paystream.settlement.page-size:1000}") int pageSize) {
        return new SettlementRunner(store, fees, pageSize, clock, meters);
    }

    /** Takes up batches whose run stopped (a crash, a restart) once they wrote nothing for {@code resume-after}. */
    @Bean
    WorkQueueWorker settlementRunWorker(DatabaseClient database, SettlementRunner runner, MeterRegistry meters,
                                        @Value("${paystream.settlement.poll-interval:1s}") Duration pollInterval) {
        return new WorkQueueWorker(new WorkQueue(database, R2dbcSettlementStore.RUNS),
                item -> runner.resume(new SettlementId(item.key()), item.payload()).then(),
                new WorkQueueWorker.Settings(1, pollInterval, Duration.ofMinutes(10), Duration.ofSeconds(5), Duration.ofMinutes(5), 100),
                meters);
    }

    /** The daily settlement of every merchant ({@code paystream.settlement.schedule.cron}, seconds first, in UTC). */
    @Bean
    @ConditionalOnProperty(name = "paystream.settlement.schedule.enabled", havingValue = "true", matchIfMissing = true)
    DailySettlementSchedule dailySettlementSchedule(DatabaseClient database, SettlementRunner runner, Clock clock, MeterRegistry meters,
                                                    @Value("${paystream.settlement.schedule.cron:0 0 0 * * *}") String cron,
                                                    @Value("${paystream.settlement.poll-interval:1s}") Duration pollInterval) {
        return new DailySettlementSchedule(database, new WorkQueue(database, SCHEDULE_QUEUE), cron,
                occurrence -> runner.settleEveryMerchant().then(), clock, pollInterval, Duration.ofHours(1), meters);
    }
}
