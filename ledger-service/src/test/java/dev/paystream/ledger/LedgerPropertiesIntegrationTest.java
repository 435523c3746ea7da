package dev.paystream.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.paystream.ledger.journal.application.EventPosting;
import dev.paystream.ledger.support.MoneyLifecycles;
import dev.paystream.ledger.support.PropertyTries;
import dev.paystream.ledger.support.TestEvent;
import dev.paystream.platform.consumer.IncomingEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The ledger's invariants over random valid lives of money ({@link MoneyLifecycles}), posted by the real
 * posting service into the real journal on PostgreSQL: the events in random interleavings, in polls of
 * random sizes, records and whole polls delivered again. Then, as the API shows it: every balance is the
 * simulation's figure, every currency's debits equal its credits, and no event has more than one entry.
 * Fewer tries (each is tens of statements, about 0.3 s on a shared machine); {@code PostingRulesPropertiesTest}
 * tries many more lives without the database.
 */
class LedgerPropertiesIntegrationTest extends LedgerIntegrationTestBase {

    private static final int TRIES = 40;

    @Autowired
    EventPosting posting;

    @TestFactory
    Stream<DynamicTest> everyValidLifeIsPostedOnceInAnyDeliveryAndItsBalancesAreWhereTheMoneyIs() {
        return PropertyTries.seeds(TRIES).map(seed -> dynamicTest("seed " + seed, () -> check(seed)));
    }

    private void check(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        MoneyLifecycles.Life life = MoneyLifecycles.life(random, 30);
        List<TestEvent> deliveries = MoneyLifecycles.deliveries(life.events(), random, 15);
        String trial = "seed " + seed;

        int start = 0;
        while (start < deliveries.size()) {
            int end = Math.min(deliveries.size(), start + 1 + random.nextInt(40));
            List<IncomingEvent> poll = new ArrayList<>();
            for (TestEvent delivered : deliveries.subList(start, end)) {
                poll.add(delivered.incoming());
            }
            assertThat(posting.post(poll).block().refusals()).as(trial).isEmpty();
            if (random.nextInt(10) == 0) {
                // The consumer restarted before committing: the whole poll comes again.
                assertThat(posting.post(poll).block().refusals()).as(trial).isEmpty();
            }
            start = end;
        }

        life.figures().forEach((merchant, byCurrency) -> {
            Map<String, Long> balances = balancesOf(merchant);
            byCurrency.forEach((currency, figures) -> figures.byAccount().forEach((account, expected) ->
                    assertThat(balances.getOrDefault(currency + "/" + account, 0L))
                            .as(trial + ": " + account + " of " + merchant + " in " + currency).isEqualTo(expected)));
            assertThat(balances.keySet()).as(trial).allSatisfy(key -> assertThat(byCurrency).containsKey(key.split("/")[0]));
        });
        String[] merchants = life.figures().keySet().toArray(String[]::new);
        List<Long> entries = database.sql("""
                        SELECT count(*) AS entries, count(DISTINCT event_id) AS events FROM journal_entries WHERE merchant_id = ANY(:merchants)""")
                .bind("merchants", merchants)
                .map(row -> List.of(row.get("entries", Long.class), row.get("events", Long.class)))
                .one().block();
        assertThat(entries).as(trial + ": entries, and the events they record").containsExactly((long) life.movingMoney(), (long) life.movingMoney());
        Long unbalancedCurrencies = database.sql("""
                        SELECT count(*) FROM (SELECT currency FROM journal_lines WHERE merchant_id = ANY(:merchants)
                                              GROUP BY currency HAVING sum(debit) <> sum(credit)) AS unbalanced""")
                .bind("merchants", merchants)
                .map(row -> row.get(0, Long.class))
                .one().block();
        assertThat(unbalancedCurrencies).as(trial + ": currencies whose debits differ from their credits").isZero();
        assertThat(okJson(getAsOperator("/v1/ledger/trial-balance")).get("balanced").asBoolean()).as(trial).isTrue();
    }

    /** The merchant's balances as {@code GET /v1/ledger/balances} shows them, by "currency/account". */
    private Map<String, Long> balancesOf(String merchantId) {
        Map<String, Long> balances = new HashMap<>();
        for (JsonNode balance : okJson(getAsMerchant(merchantId, "/v1/ledger/balances")).get("data")) {
            balances.put(balance.get("currency").asString() + "/" + balance.get("account").asString(), balance.get("balance").asLong());
        }
        return balances;
    }
}
