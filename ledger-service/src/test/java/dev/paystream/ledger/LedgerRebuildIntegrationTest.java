package dev.paystream.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.events.Topics;
import dev.paystream.ledger.journal.adapter.rebuild.LedgerRebuild;
import dev.paystream.ledger.journal.adapter.rebuild.RebuildSettings;
import dev.paystream.ledger.support.Broker;
import dev.paystream.ledger.support.MoneyLifecycles;
import dev.paystream.ledger.support.TestEvent;
import dev.paystream.testsupport.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * The operator's rebuild against the live ledger of the shared test context: every topic of the shared
 * broker replayed from its beginning into a schema of its own, compared with what the live consumer
 * posted. The topics hold every other test class's records too (bad ones included), as a real history would.
 */
class LedgerRebuildIntegrationTest extends LedgerIntegrationTestBase {

    @Autowired
    Environment environment;

    @Test
    void aRebuildFromTheTopicsGivesTheLiveBalancesAndFindsAnEntryNoEventExplains() throws Exception {
        SplittableRandom random = new SplittableRandom(20261130L);
        MoneyLifecycles.Life life = MoneyLifecycles.life(random, 30);
        List<TestEvent> deliveries = MoneyLifecycles.deliveries(life.events(), random, 20);
        List<RecordMetadata> published = deliveries.stream().map(Broker::publish).toList();
        published.forEach(Broker::awaitConsumed);
        Set<String> merchants = life.figures().keySet();

        LedgerRebuild.Report report = new LedgerRebuild(settings()).run();

        assertThat(report.comparison().liveCaughtUp()).isTrue();
        assertThat(report.records()).isGreaterThanOrEqualTo(deliveries.size());
        assertThat(report.duplicates()).isGreaterThanOrEqualTo(deliveries.size() - life.events().size());
        assertThat(report.posted()).isGreaterThanOrEqualTo(life.movingMoney());
        assertThat(report.comparison().differences()).noneMatch(difference -> merchants.contains(difference.merchantId()));
        assertThat(count("SELECT count(*) FROM ledger_rebuild_test.journal_entries WHERE merchant_id = :id", merchants.iterator().next()))
                .isEqualTo(count("SELECT count(*) FROM journal_entries WHERE merchant_id = :id", merchants.iterator().next()));

        // An entry of the live journal that no event explains: a balanced posting for an authorization.
        TestEvent authorization = life.events().stream().filter(event -> event.type().equals("payment.authorized")).findFirst().orElseThrow();
        String merchant = merchantOf(authorization);
        database.sql("""
                        WITH entry AS (INSERT INTO journal_entries (id, event_id, payment_id, merchant_id, created_at)
                                       VALUES ('je_0000000000000000000000ff', :eventId, :paymentId, :merchantId, now()) RETURNING id)
                        INSERT INTO journal_lines (entry_id, line_no, merchant_id, account, currency, debit, credit)
                        SELECT entry.id, l.line_no, :merchantId, l.account, 'USD', l.debit, l.credit FROM entry,
                               (VALUES (1::smallint, 'customer_funds', 700::bigint, 0::bigint),
                                       (2::smallint, 'merchant_pending', 0::bigint, 700::bigint)) AS l (line_no, account, debit, credit)""")
                .bind("eventId", authorization.id()).bind("paymentId", authorization.key()).bind("merchantId", merchant)
                .fetch().rowsUpdated().block();

        LedgerRebuild.Report again = new LedgerRebuild(settings()).run();

        assertThat(again.balancesEqual()).isFalse();
        assertThat(again.comparison().entriesOnlyLive()).isGreaterThanOrEqualTo(1);
        assertThat(again.comparison().differences()).filteredOn(difference -> difference.merchantId().equals(merchant))
                .extracting(LedgerRebuild.Difference::account).contains("customer_funds", "merchant_pending");
        assertThat(LedgerRebuild.describe(settings(), again)).contains("Balances equal: NO", merchant);
    }

    private RebuildSettings settings() {
        return new RebuildSettings(TestKafka.bootstrapServers(), List.of(Topics.PAYMENTS, Topics.SETTLEMENTS),
                environment.getRequiredProperty("spring.flyway.url"), environment.getRequiredProperty("spring.flyway.user"),
                environment.getProperty("spring.flyway.password", ""), "ledger_rebuild_test", Broker.LEDGER_GROUP_ID, true,
                Duration.ofSeconds(30));
    }

    private static String merchantOf(TestEvent event) {
        int start = event.value().indexOf("\"merchant_id\":\"") + "\"merchant_id\":\"".length();
        return event.value().substring(start, event.value().indexOf('"', start));
    }
}
